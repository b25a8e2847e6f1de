import { dirname, resolve } from 'node:path';
import { expect } from 'vitest';
import { CLI_BIN } from '../cli-process.js';

/** The repository's root: no answer may name a file in it. */
const REPO_ROOT = resolve(dirname(CLI_BIN), '../../..');

/** An HTTP answer, from fetch or read off a raw socket. */
export interface Answer {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

export async function answerOf(response: Response): Promise<Answer> {
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    text: await response.text(),
  };
}

/** What a malformed request must get back. `type` defaults from the status and code. */
export interface WantedError {
  readonly status: number;
  readonly code: string;
  readonly param: string | null;
  readonly type?: string;
  /** Headers the answer must carry (a RegExp to match, or the exact value). */
  readonly headers?: Readonly<Record<string, string | RegExp>>;
}

function typeFor({ status, code }: WantedError): string {
  if (status === 401) return 'authentication_error';
  if (status === 429) return 'rate_limit_error';
  return code === 'unknown_route' ? 'not_found_error' : 'invalid_request_error';
}

/**
 * The answer is OpenAI's error object and nothing else — `{ error: { message, type, param,
 * code } }` — with the wanted status, code and param, and without internals: no stack frame,
 * no path of the repository or of the server's model folder.
 */
export function expectOpenAiError(answer: Answer, want: WantedError, privateDir?: string): void {
  expect({ status: answer.status, text: answer.text }).toMatchObject({ status: want.status });
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(answer.text) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(body.error).toEqual({
    message: expect.stringMatching(/\S/),
    type: want.type ?? typeFor(want),
    param: want.param,
    code: want.code,
  });
  for (const [name, value] of Object.entries(want.headers ?? {}))
    if (typeof value === 'string') expect(answer.headers[name]).toBe(value);
    else expect(answer.headers[name]).toMatch(value);
  expectNoInternals(answer.text, privateDir);
}

/** No stack trace, no source position, no file of the repository or of `privateDir`. */
export function expectNoInternals(text: string, privateDir?: string): void {
  expect(text).not.toMatch(/\n\s+at |\bat [\w.<>]+ \(/);
  expect(text).not.toMatch(/\.[cm]?[jt]s:\d+/);
  expect(text).not.toContain('node_modules');
  expect(text).not.toContain(REPO_ROOT);
  if (privateDir) expect(text).not.toContain(privateDir);
}
