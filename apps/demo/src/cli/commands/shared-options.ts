import {
  InvalidOptionError,
  type LoadOptions,
  type Policy,
  parsePolicy,
  UnsupportedFormatError,
} from '@npu-first/core';

/** `--policy` as typed on the command line, parsed (errors name the flag). */
export function policyFrom(text: string | undefined): Policy | undefined {
  return text === undefined ? undefined : parsePolicy(text, '--policy');
}

/** `--policy`, `--threads` and `--isolate`, shared by the commands that load a model. */
export function loadOptionsFrom(options: {
  policy?: string;
  threads?: string;
  isolate?: boolean;
}): LoadOptions {
  const result: { policy?: Policy; threads?: number; isolate?: boolean } = {};
  if (options.isolate) result.isolate = true;
  const policy = policyFrom(options.policy);
  if (policy !== undefined) result.policy = policy;
  if (options.threads !== undefined) {
    const threads = Number(options.threads);
    if (!Number.isInteger(threads) || threads < 1)
      throw new InvalidOptionError(
        '--threads',
        `expected a whole number ≥ 1, got "${options.threads}"`,
      );
    result.threads = threads;
  }
  return result;
}

/** Turns "this is a GGUF model" from `run` (or ONNX from `generate`) into the command to use. */
export function suggestCommand(format: 'GGUF' | 'ONNX', command: string) {
  return (error: unknown): never => {
    if (UnsupportedFormatError.isInstance(error) && error.reason.includes(` ${format} `)) {
      throw new UnsupportedFormatError(error.model, `${error.reason}; use \`${command}\``);
    }
    throw error;
  };
}
