import {
  BackendLoadError,
  CorruptModelError,
  messageOf,
  NpuFirstError,
  RunFailedError,
} from '@npu-first/core';

/** ORT status texts that mean the model bytes themselves are bad. */
const CORRUPT_PATTERNS = [
  /protobuf parsing failed/i,
  /INVALID_PROTOBUF/,
  /INVALID_GRAPH/,
  /No graph was found/i,
];

/** Strips ORT's source-location prefix (`/onnxruntime_src/…cc:123 fn(…)`) from a message. */
export function cleanOrtMessage(error: unknown): string {
  return messageOf(error)
    .replace(/\/onnxruntime_src\/\S+:\d+ [^\n]*?\) /g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Maps an error from `InferenceSession.create` to a typed npu-first error. */
export function loadError(backendId: string, modelName: string, error: unknown): NpuFirstError {
  if (NpuFirstError.isInstance(error)) return error;
  const message = cleanOrtMessage(error);
  if (CORRUPT_PATTERNS.some((p) => p.test(message))) {
    return new CorruptModelError(modelName, `ONNX Runtime cannot parse it (${message})`, {
      cause: error,
    });
  }
  return new BackendLoadError(backendId, message, { cause: error });
}

/** Maps an error from `session.run` to a typed npu-first error. */
export function runError(backendId: string, error: unknown): NpuFirstError {
  if (NpuFirstError.isInstance(error)) return error;
  return new RunFailedError(backendId, cleanOrtMessage(error), { cause: error });
}
