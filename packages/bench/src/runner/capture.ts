/**
 * Runs `load` while recording what the first call to `owner[method]` returns, then restores
 * the method. The benchmarks use it to get hold of the engine object the runtime created (its
 * ONNX Runtime session, its llama.cpp context sequence) so the raw side of an overhead
 * comparison runs on that very object: two sessions of one model differ by up to ±1 % from
 * memory placement alone (measured: raw session A ÷ raw session B), which would drown the
 * runtime's own cost. Returns `undefined` when the method was not called.
 */
export async function captureFirstReturn<T>(
  owner: object,
  method: string,
  load: () => Promise<T>,
): Promise<{ value: T; captured: unknown }> {
  const target = owner as Record<string, unknown>;
  const original = target[method];
  if (typeof original !== 'function') throw new TypeError(`${method} is not a method`);
  let captured: unknown;
  let called = false;
  target[method] = function (this: unknown, ...args: unknown[]) {
    const out = original.apply(this, args);
    if (!called) {
      called = true;
      captured = out;
    }
    return out;
  };
  try {
    const value = await load();
    // A promise (ONNX Runtime's async create) is awaited; a rejected one counts as nothing.
    return { value, captured: await Promise.resolve(captured).catch(() => undefined) };
  } finally {
    target[method] = original;
  }
}
