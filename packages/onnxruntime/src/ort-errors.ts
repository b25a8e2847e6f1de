import {
  BackendLoadError,
  CorruptModelError,
  messageOf,
  NpuFirstError,
  RunFailedError,
} from '@npu-first/core';

/**
 * ORT status texts that mean the model bytes themselves are bad: unparseable protobuf, a
 * graph that fails ONNX's own checks, shapes or types that contradict each other, and
 * initializers whose data does not match their declared shape.
 */
const CORRUPT_PATTERNS = [
  /protobuf parsing failed/i,
  /INVALID_PROTOBUF/,
  /INVALID_GRAPH/,
  /No graph was found/i,
  /does not have a graph/i,
  /This is an invalid model/i,
  /\[(?:ShapeInferenceError|TypeInferenceError)\]/,
  /does not match expected size/i,
  /size mismatch/i,
  /Initializer '[^']*'/,
  /TensorProto[^.]*(?:invalid|mismatch|size)/i,
  /Deserialize tensor .* failed/i,
];

/**
 * Texts in an otherwise "invalid model" status that say this ORT build lacks something the
 * model legitimately uses (an operator, an opset, an IR version): the engine's fault, so
 * another backend or a newer onnxruntime-node may still load it.
 */
const ENGINE_GAP_PATTERNS = [
  /No Op registered/i,
  /Could not find an implementation/i,
  /Unsupported model IR version/i,
  /opset .* is (?:not supported|under development)/i,
  /is not a registered function\/op/i,
];

/** Strips ORT's source-location prefix (`/onnxruntime_src/…cc:123 fn(…)`) from a message. */
export function cleanOrtMessage(error: unknown): string {
  return messageOf(error)
    .replace(/\/onnxruntime_src\/\S+:\d+ [^\n]*?\) /g, '')
    .replace(/\[ONNXRuntimeError\] : \d+ : \w+ : /g, '')
    .replace(/\b\w+\.cc:\d+ \w+ /g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Maps an error from `InferenceSession.create` to a typed npu-first error. */
export function loadError(backendId: string, modelName: string, error: unknown): NpuFirstError {
  if (NpuFirstError.isInstance(error)) return error;
  const message = cleanOrtMessage(error);
  const gap = ENGINE_GAP_PATTERNS.some((p) => p.test(message));
  if (!gap && CORRUPT_PATTERNS.some((p) => p.test(message))) {
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
