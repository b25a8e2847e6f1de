import { BackendLoadError, CorruptModelError, type NpuFirstError } from '@npu-first/core';

/**
 * What llama.cpp (its "error loading model: …" log line) or node-llama-cpp's own GGUF reader
 * says when the file's contents are wrong: shapes, types and lengths that contradict each
 * other, missing keys or tensors, data past the end. Reloading elsewhere cannot help.
 */
const CORRUPT =
  /truncat|not within the file bounds|failed to read|invalid magic|unexpected end|data is not|corrupt|has wrong (?:shape|type)|wrong (?:array length|number of tensors)|key not found|expected scalar|invalid gguf type|invalid n_rot|Index out of array bounds|n > N_MAX|missing tensor|tensor '.*' not found|unknown tokenizer|gguf_init_from_file|is out of range|Offset is outside the bounds|invalid GGUF|not a valid GGUF/i;

/** The engine, not the file: this llama.cpp build is too old to know the architecture. */
const UNKNOWN_ARCH = /unknown model architecture: '([^']*)'/;

/**
 * Turns a failed `llama.loadModel()` into a typed error: `MODEL_CORRUPT` when the engine's
 * words say the file is bad (the chain then stops trying other backends), otherwise
 * `BACKEND_LOAD_FAILED` (out of memory, a driver, an architecture this build lacks).
 * `detail` is what llama.cpp logged and node-llama-cpp threw, kept as the reason.
 */
export function loadFailure(
  backendId: string,
  modelName: string,
  detail: string,
  error: unknown,
): NpuFirstError {
  const arch = UNKNOWN_ARCH.exec(detail)?.[1];
  if (arch !== undefined) {
    return new BackendLoadError(
      backendId,
      `this node-llama-cpp's llama.cpp does not know the "${arch}" architecture; a newer node-llama-cpp may (${detail})`,
      { cause: error },
    );
  }
  if (CORRUPT.test(detail)) {
    return new CorruptModelError(modelName, `llama.cpp cannot read it (${detail})`, {
      cause: error,
    });
  }
  return new BackendLoadError(backendId, detail, { cause: error });
}
