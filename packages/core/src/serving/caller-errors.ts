import { NpuFirstError } from '../errors/base.js';

/**
 * Codes that are the caller's doing, not the engine's or the device's: another backend would
 * refuse the same call, so they never move a model.
 */
export const CALLER_ERROR_CODES: ReadonlySet<string> = new Set([
  'INVALID_INPUT',
  'INVALID_OPTION',
  'CONTEXT_OVERFLOW',
  'GENERATION_ABORTED',
  'MODEL_DISPOSED',
  // A backend without embeddings: the model stays where it serves generations.
  'EMBEDDING_UNSUPPORTED',
]);

/** Whether a failed call was the caller's (see `CALLER_ERROR_CODES`); anything else is the engine's. */
export function isCallerError(error: unknown): boolean {
  return NpuFirstError.isInstance(error) && CALLER_ERROR_CODES.has(error.code);
}
