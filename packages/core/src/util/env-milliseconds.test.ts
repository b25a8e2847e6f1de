import { describe, expect, it } from 'vitest';
import { envMilliseconds } from './env-milliseconds.js';

describe('envMilliseconds', () => {
  it('reads a whole number, and unset or blank as unset', () => {
    expect(envMilliseconds({ X_MS: '250' }, 'X_MS')).toBe(250);
    expect(envMilliseconds({}, 'X_MS')).toBeUndefined();
    expect(envMilliseconds({ X_MS: '  ' }, 'X_MS')).toBeUndefined();
  });

  it('refuses anything else, naming the variable', () => {
    for (const text of ['0', '-5', '1.5', 'ten', '1e400'])
      expect(() => envMilliseconds({ X_MS: text }, 'X_MS')).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION', option: 'X_MS' }),
      );
  });
});
