import { TimeoutError } from '../errors/errors.js';

/** How late a timer may fire before the event loop counts as having been blocked. */
const STALL_MS = 250;

/**
 * Races `work` against a deadline. On time-out the returned promise rejects with
 * `TimeoutError`, `controller` is aborted, and `onLate` receives the value if the work
 * still finishes later (so a late-loaded session can be released, not leaked).
 *
 * Pass `work` as a function to have it started in a microtask with the clock starting then:
 * a synchronous throw becomes a rejection, and time the event loop spent blocked before the
 * work began is not charged to it.
 *
 * - The timer is not `unref()`ed: while the work is pending it keeps the process alive, so a
 *   short-lived script whose plugin never settles gets its `TimeoutError` instead of Node
 *   exiting silently (code 13) once nothing else is left to run. It is cleared as soon as the
 *   work settles, so it never holds a process longer than the bound.
 * - Work given as a function that settles after its deadline counts as timed out: a plugin
 *   that blocks the event loop (a synchronous busy loop) keeps the timer from firing until the
 *   block ends, and by then its own work has settled — so the deadline is checked against the
 *   clock, too.
 * - A timer that fires well after its deadline means the loop was blocked while this work was
 *   pending — by other code, or it would have settled first — so the work gets one more period
 *   rather than be blamed for a stall it did not cause.
 */
export function withTimeout<T>(
  work: Promise<T> | (() => T | PromiseLike<T>),
  ms: number,
  /** What timed out, for the error; a function is read when the time-out happens. */
  operation: string | (() => string),
  options: { controller?: AbortController; onLate?: (value: T) => void } = {},
): Promise<T> {
  let deadline = performance.now() + ms;
  /** Set when the work's own synchronous part outlasted the bound: no extension for it. */
  let blockedItself = false;
  const started = (): Promise<T> =>
    typeof work === 'function'
      ? Promise.resolve().then(() => {
          const start = performance.now();
          deadline = start + ms;
          const result = work();
          blockedItself = performance.now() > deadline;
          return result;
        })
      : work;
  if (!Number.isFinite(ms)) return started();
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let extended = false;
    let timer: NodeJS.Timeout | undefined;
    const timeOut = () => {
      if (done) return;
      done = true;
      const error = new TimeoutError(typeof operation === 'string' ? operation : operation(), ms);
      options.controller?.abort(error);
      reject(error);
    };
    const onTimer = () => {
      if (done) return;
      const now = performance.now();
      if (now < deadline) {
        timer = setTimeout(onTimer, deadline - now); // the work started late: its clock did too
        return;
      }
      if (!extended && !blockedItself && now - deadline > STALL_MS) {
        extended = true;
        deadline = now + ms;
        timer = setTimeout(onTimer, ms);
        return;
      }
      timeOut();
    };
    timer = setTimeout(onTimer, ms);
    // The clock is only trusted for work this function started (see above): for a promise
    // made earlier, a pause between its settling and this callback (GC, a busy machine) would
    // be blamed on it.
    const clocked = typeof work === 'function';
    const inTime = () => !done && (!clocked || performance.now() <= deadline);
    started().then(
      (value) => {
        clearTimeout(timer);
        if (inTime()) {
          done = true;
          resolve(value);
          return;
        }
        timeOut();
        options.onLate?.(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (inTime()) {
          done = true;
          reject(error);
          return;
        }
        timeOut();
      },
    );
  });
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
