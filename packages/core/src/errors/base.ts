/** Marks every error this package throws; shared across copies of the package via the global symbol registry. */
const MARKER = Symbol.for('npu-first.error');

/** Stable codes callers can switch on. They never change meaning once published. */
export type ErrorCode =
  | 'MODEL_NOT_FOUND'
  | 'MODEL_UNREADABLE'
  | 'MODEL_CORRUPT'
  | 'MODEL_FORMAT_UNSUPPORTED'
  | 'MODEL_REJECTED'
  | 'MODEL_DISPOSED'
  | 'INVALID_INPUT'
  | 'INVALID_OPTION'
  | 'ENGINE_MISSING'
  | 'BACKEND_UNAVAILABLE'
  | 'BACKEND_LOAD_FAILED'
  | 'ALL_BACKENDS_FAILED'
  | 'RUN_FAILED'
  | 'CONTEXT_OVERFLOW'
  | 'EMBEDDING_UNSUPPORTED'
  | 'GENERATION_ABORTED'
  | 'STREAM_INTERRUPTED'
  | 'MODEL_DOWNLOAD_FAILED'
  | 'PLUGIN_INVALID'
  | 'TIMEOUT'
  | 'ENGINE_CRASHED';

/**
 * The base of every npu-first error. Use `NpuFirstError.isInstance(e)` (or a subclass's
 * `isInstance`) rather than `instanceof`: it also recognises errors thrown by another copy
 * of the package, as happens when two versions are installed side by side.
 */
export class NpuFirstError extends Error {
  readonly [MARKER] = true;
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  static isInstance(error: unknown): error is NpuFirstError {
    return typeof error === 'object' && error !== null && MARKER in error && error[MARKER] === true;
  }

  /** Extra fields a caller needs (input name, path, attempts…); overridden by subclasses. */
  details(): Record<string, unknown> {
    return {};
  }

  /** `{ code, message, ...details }`, the shape the CLI prints under `error`. */
  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.details() };
  }
}

/** Builds the `isInstance` guard for one code, so subclasses stay one line each. */
export function hasCode<T extends NpuFirstError>(code: ErrorCode) {
  return (error: unknown): error is T => NpuFirstError.isInstance(error) && error.code === code;
}
