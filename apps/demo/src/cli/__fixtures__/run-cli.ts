import { stripVTControlCharacters } from 'node:util';
import { main } from '../main.js';
import type { Io } from '../output.js';

/** What one CLI invocation printed, as plain text (colours depend on the terminal and on CI). */
export interface CliRun {
  readonly code: number;
  /** Standard output. */
  readonly out: string;
  /** Standard error. */
  readonly err: string;
  /** Both, in the order they were written. */
  readonly all: string;
  /** Standard output parsed, when `--json` was given. */
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON under test
  readonly json: any;
}

/** Runs the CLI in-process, as `npu-first <args>` from a non-interactive terminal. */
export async function runCli(...args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  let all = '';
  const line = (t: string) => `${stripVTControlCharacters(t)}\n`;
  const io: Io = {
    out: (t) => {
      out += line(t);
      all += line(t);
    },
    write: (t) => {
      out += stripVTControlCharacters(t);
      all += stripVTControlCharacters(t);
    },
    err: (t) => {
      err += line(t);
      all += line(t);
    },
    interactive: false,
  };
  const code = await main(['node', 'npu-first', ...args], io);
  return { code, out, err, all, json: args.includes('--json') ? JSON.parse(out) : undefined };
}
