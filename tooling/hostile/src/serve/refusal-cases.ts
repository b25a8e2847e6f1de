import { describe, it } from 'vitest';
import { type Answer, expectOpenAiError, type WantedError } from './openai-error.js';

/** What a case sends, then the status, `code` and `param` it must get (and headers, if any). */
export type RefusalCase = [
  send: () => Promise<Answer>,
  status: number,
  code: string,
  param: string | null,
  headers?: WantedError['headers'],
];

/**
 * One test per case, named for what it sends: the answer has the case's status, code and
 * param in OpenAI's error shape, and names nothing inside `privateDir()` or the repository.
 */
export function refusesEach(
  title: string,
  cases: Readonly<Record<string, RefusalCase>>,
  privateDir: () => string,
): void {
  describe(title, () => {
    it.each(Object.entries(cases))('%s', async (_name, [send, status, code, param, headers]) => {
      const want = { status, code, param, ...(headers ? { headers } : {}) };
      expectOpenAiError(await send(), want, privateDir());
    });
  });
}
