import { InvalidOptionError } from '../errors/errors.js';

/**
 * A time in milliseconds from an environment variable: unset or blank is `undefined` (the
 * caller's default), a whole number ≥ 1 is taken, anything else is `INVALID_OPTION` naming the
 * variable. One reading for every `NPU_FIRST_*_MS` variable.
 */
export function envMilliseconds(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) || ms < 1)
    throw new InvalidOptionError(
      name,
      `expected a whole number of milliseconds ≥ 1, got "${text}"`,
    );
  return ms;
}
