import { NpuFirstError } from '@npu-first/core';

/** What is wrong with an audio file, for callers that branch on it. */
export type AudioProblem =
  | 'missing'
  | 'unreadable'
  | 'not-wav'
  | 'unsupported'
  | 'truncated'
  | 'empty';

/**
 * An audio file that cannot be used: missing, unreadable, not a WAV, truncated or empty.
 * Code `INVALID_INPUT`; the message says what to do about it.
 */
export class AudioFileError extends NpuFirstError {
  static override isInstance(error: unknown): error is AudioFileError {
    return NpuFirstError.isInstance(error) && error.name === 'AudioFileError';
  }

  constructor(
    readonly path: string,
    readonly problem: AudioProblem,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('INVALID_INPUT', `Cannot use audio file ${path}: ${reason}`, options);
  }

  override details() {
    return { input: 'audio', path: this.path, problem: this.problem, reason: this.reason };
  }
}
