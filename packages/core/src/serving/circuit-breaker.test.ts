import { describe, expect, it } from 'vitest';
import { checkBreakerOptions } from './circuit-breaker.js';

describe('the circuitBreaker option', () => {
  it('takes false or positive bounds, failures a whole number', () => {
    expect(() => checkBreakerOptions(false)).not.toThrow();
    expect(() =>
      checkBreakerOptions({ failures: 2, windowMs: 1.5, cooldownMs: 300 }),
    ).not.toThrow();
  });

  it.each([
    [true, 'circuitBreaker', 'expected false or { failures?, windowMs?, cooldownMs? }, got true'],
    [{ failure: 2 }, 'circuitBreaker.failure', 'unknown key (use failures, windowMs, cooldownMs)'],
    [{ failures: 1.5 }, 'circuitBreaker.failures', 'expected a positive whole number, got 1.5'],
    [{ failures: 0 }, 'circuitBreaker.failures', 'expected a positive whole number, got 0'],
    [
      { windowMs: '60s' },
      'circuitBreaker.windowMs',
      'expected a positive, finite number of milliseconds, got "60s"',
    ],
    [
      { cooldownMs: Number.POSITIVE_INFINITY },
      'circuitBreaker.cooldownMs',
      'expected a positive, finite number of milliseconds, got Infinity',
    ],
  ])('refuses %j', (value, option, reason) => {
    expect(() => checkBreakerOptions(value)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', option, reason }),
    );
  });
});
