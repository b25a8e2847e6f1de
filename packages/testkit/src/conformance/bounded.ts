/** A call to the backend that did not settle within its bound. */
export class CallTimeoutError extends Error {
  override name = 'CallTimeoutError';
}

/**
 * Calls `call` and settles as it does, or rejects after `ms` saying what hung, so a backend
 * that never answers fails one named case with a reason instead of the whole file stalling.
 * A synchronous throw becomes a rejection.
 */
export async function bounded<T>(what: string, ms: number, call: () => T | Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CallTimeoutError(`${what} did not settle within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(call), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The outcome of a call, kept for the cases that report it. */
export type Settled<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown };

export async function settle<T>(
  what: string,
  ms: number,
  call: () => T | Promise<T>,
): Promise<Settled<T>> {
  try {
    return { ok: true, value: await bounded(what, ms, call) };
  } catch (error) {
    return { ok: false, error };
  }
}
