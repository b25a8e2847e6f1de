import { NpuFirstError } from '@npu-first/core';
import pc from 'picocolors';

/** Where the CLI writes; tests pass their own to capture output. */
export interface Io {
  readonly out: (text: string) => void;
  /** Writes to stdout without a newline (streamed tokens). */
  readonly write: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether long work may draw a progress bar (stderr is a terminal). */
  readonly interactive: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  write: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: Boolean(process.stderr.isTTY),
};

/** Prints one JSON document (the `--json` contract: exactly one document on stdout). */
export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
}

/** The exit code for an error: 2 for a usage mistake, 1 for everything else. */
export function exitCodeFor(error: unknown): number {
  return NpuFirstError.isInstance(error) && error.code === 'INVALID_OPTION' ? 2 : 1;
}

/** Reports an error as `{ "error": { code, message, … } }` (JSON) or a readable line. */
export function printError(io: Io, error: unknown, json: boolean): number {
  const body = NpuFirstError.isInstance(error)
    ? error.toJSON()
    : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  if (json) printJson(io, { error: body });
  else {
    io.err(`${pc.red('error')} ${pc.dim(`[${String(body.code)}]`)} ${String(body.message)}`);
    if (!NpuFirstError.isInstance(error) && error instanceof Error && error.stack)
      io.err(pc.dim(error.stack));
  }
  return exitCodeFor(error);
}
