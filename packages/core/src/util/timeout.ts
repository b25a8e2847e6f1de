import { TimeoutError } from '../errors/errors.js';

/**
 * Races `work` against a timer. On time-out the returned promise rejects with
 * `TimeoutError`, `controller` is aborted, and `onLate` receives the value if the work
 * still finishes later (so a late-loaded session can be released, not leaked).
 */
export function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  operation: string,
  options: { controller?: AbortController; onLate?: (value: T) => void } = {},
): Promise<T> {
  if (!Number.isFinite(ms)) return work;
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      options.controller?.abort(new TimeoutError(operation, ms));
      reject(new TimeoutError(operation, ms));
    }, ms);
    timer.unref?.();
  });
  work.then(
    (value) => {
      if (timedOut) options.onLate?.(value);
    },
    () => {},
  );
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Milliseconds since `start` (from `performance.now()`), rounded to 0.01 ms. */
export function since(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}

/** `error.message` for anything thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
