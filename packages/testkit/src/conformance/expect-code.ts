import { expect } from 'vitest';
import { describeThrown, describeValue } from './describe-thrown.js';

/** What {@link expectCode} checks beyond the code, and a label for its message. */
export interface ExpectCodeOptions {
  /** Fields the error must carry, compared with `===` (e.g. `{ input: 'k' }`). */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** Prefixes the failure message, e.g. the bad-feed case being checked. */
  readonly what?: string;
}

/**
 * Expects `action` (a promise, or a function that throws or returns one) to fail with an
 * npu-first error of `code`, and returns that error. On failure the message says what
 * happened instead: `expected MODEL_CORRUPT, got TypeError: …` or
 * `expected a rejection with MODEL_CORRUPT, it resolved with …`.
 */
export async function expectCode(
  action: PromiseLike<unknown> | (() => unknown),
  code: string,
  options: ExpectCodeOptions = {},
): Promise<Error & { readonly code: string }> {
  const prefix = options.what ? `${options.what}: ` : '';
  let value: unknown;
  try {
    value = await (typeof action === 'function' ? action() : action);
  } catch (error) {
    const actual = (error as { code?: unknown } | null)?.code;
    if (actual !== code) expect.fail(`${prefix}expected ${code}, got ${describeThrown(error)}`);
    for (const [key, want] of Object.entries(options.fields ?? {})) {
      const got = (error as Record<string, unknown>)[key];
      if (got !== want) {
        expect.fail(
          `${prefix}expected ${code} with ${key} ${describeValue(want)}, got ${key} ${describeValue(got)} in ${describeThrown(error)}`,
        );
      }
    }
    return error as Error & { readonly code: string };
  }
  return expect.fail(
    `${prefix}expected a rejection with ${code}, it resolved with ${describeValue(value)}`,
  );
}
