import { InvalidOptionError } from '../errors/errors.js';
import { checkMilliseconds, describeValue, isPlainObject } from '../runtime/load-options.js';

/** When a backend that keeps failing is left alone: `failures` within `windowMs` open its circuit for `cooldownMs`. */
export interface CircuitBreakerOptions {
  /** Serving failures (engine or device errors, time-outs) that open the circuit. Default 3. */
  readonly failures?: number;
  /** The window they must fall in, in ms. Default 60 000. */
  readonly windowMs?: number;
  /** How long an open circuit keeps the backend out of loads and failovers, in ms. Default 30 000. */
  readonly cooldownMs?: number;
}

export const DEFAULT_BREAKER = { failures: 3, windowMs: 60_000, cooldownMs: 30_000 } as const;

/**
 * One per runtime: counts each backend's serving failures and, past the bound, keeps it out
 * of later loads and failovers for a cooldown — so a flapping device is not reloaded onto on
 * every other call. After the cooldown the backend is tried again (its count starts afresh).
 */
export class CircuitBreaker {
  readonly #failures: number;
  readonly #windowMs: number;
  readonly #cooldownMs: number;
  readonly #recent = new Map<string, number[]>();
  readonly #openUntil = new Map<string, { until: number; reason: string }>();

  constructor(options: CircuitBreakerOptions = {}) {
    this.#failures = options.failures ?? DEFAULT_BREAKER.failures;
    this.#windowMs = options.windowMs ?? DEFAULT_BREAKER.windowMs;
    this.#cooldownMs = options.cooldownMs ?? DEFAULT_BREAKER.cooldownMs;
  }

  /** Counts one serving failure of `backend`; opens its circuit when the bound is reached. */
  record(backend: string, why: string, now = Date.now()): void {
    const times = (this.#recent.get(backend) ?? []).filter((t) => now - t < this.#windowMs);
    times.push(now);
    this.#recent.set(backend, times);
    if (times.length >= this.#failures) {
      this.#recent.delete(backend);
      this.#openUntil.set(backend, {
        until: now + this.#cooldownMs,
        reason: `circuit open: ${times.length} serving failures within ${this.#windowMs} ms (last: ${why}); skipped until ${new Date(now + this.#cooldownMs).toISOString()}`,
      });
    }
  }

  /** Why `backend` is skipped now, or `undefined` when it may be tried. */
  skipReason(backend: string, now = Date.now()): string | undefined {
    const open = this.#openUntil.get(backend);
    if (open === undefined) return undefined;
    if (now >= open.until) {
      this.#openUntil.delete(backend);
      return undefined;
    }
    return open.reason;
  }
}

/** `circuitBreaker` runtime option: an object of bounds, or `false` to never skip a backend. */
export function checkBreakerOptions(value: unknown): void {
  if (value === false) return;
  if (!isPlainObject(value))
    throw new InvalidOptionError(
      'circuitBreaker',
      `expected false or { failures?, windowMs?, cooldownMs? }, got ${describeValue(value)}`,
    );
  for (const [key, v] of Object.entries(value as object)) {
    if (!['failures', 'windowMs', 'cooldownMs'].includes(key))
      throw new InvalidOptionError(
        `circuitBreaker.${key}`,
        'unknown key (use failures, windowMs, cooldownMs)',
      );
    if (key !== 'failures') checkMilliseconds(`circuitBreaker.${key}`, v);
    else if (!(typeof v === 'number' && Number.isInteger(v) && v > 0))
      throw new InvalidOptionError(
        'circuitBreaker.failures',
        `expected a positive whole number, got ${describeValue(v)}`,
      );
  }
}
