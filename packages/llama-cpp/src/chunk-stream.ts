import type { GenerationResult, GenerationStream } from '@npu-first/core';

/**
 * Turns a generation that reports chunks through a callback into a `GenerationStream`.
 * `start` receives `push` for each chunk and an `AbortSignal` that fires when the consumer
 * stops iterating early (`break`), so the generation stops instead of running on unseen.
 */
export function chunkStream(
  start: (push: (chunk: string) => void, stopped: AbortSignal) => Promise<GenerationResult>,
): GenerationStream {
  const chunks: string[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: { error: unknown } | undefined;
  const stop = new AbortController();
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const result = start((chunk) => {
    chunks.push(chunk);
    notify();
  }, stop.signal).then(
    (value) => {
      finished = true;
      notify();
      return value;
    },
    (error: unknown) => {
      finished = true;
      failure = { error };
      notify();
      throw error;
    },
  );
  // Callers who only iterate must not get an unhandled rejection from `result`.
  result.catch(() => {});
  return {
    result,
    [Symbol.asyncIterator](): AsyncIterator<string> {
      return {
        async next(): Promise<IteratorResult<string>> {
          for (;;) {
            const chunk = chunks.shift();
            if (chunk !== undefined) return { value: chunk, done: false };
            if (failure) throw failure.error;
            if (finished) return { value: undefined, done: true };
            await new Promise<void>((resolve) => (wake = resolve));
          }
        },
        async return(): Promise<IteratorResult<string>> {
          stop.abort();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
