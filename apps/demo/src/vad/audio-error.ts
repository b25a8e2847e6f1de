import { NpuFirstError } from '@npu-first/core';

/** What is wrong with an audio file, for callers that branch on it. */
export type AudioProblem =
  | 'missing'
  | 'unreadable'
  | 'not-wav'
  | 'unsupported'
  | 'truncated'
  | 'empty'
  | 'bad-header';

/**
 * An audio file that cannot be used: missing, unreadable, not a WAV, truncated, empty, or
 * with a header out of range (then `field` names it). Code `INVALID_INPUT`; the message says
 * what to do about it.
 */
export class AudioFileError extends NpuFirstError {
  static override isInstance(error: unknown): error is AudioFileError {
    return NpuFirstError.isInstance(error) && error.name === 'AudioFileError';
  }

  constructor(
    readonly path: string,
    readonly problem: AudioProblem,
    readonly reason: string,
    options?: { cause?: unknown; field?: string },
  ) {
    const cause = options && 'cause' in options ? { cause: options.cause } : undefined;
    super('INVALID_INPUT', `Cannot use audio file ${path}: ${reason}`, cause);
    this.field = options?.field;
  }

  /** The header field at fault, for `bad-header`. */
  readonly field: string | undefined;

  override details() {
    return {
      input: 'audio',
      path: this.path,
      problem: this.problem,
      reason: this.reason,
      ...(this.field ? { field: this.field } : {}),
    };
  }
}
