import type { GenerationResult, GenerationStream } from '../spec/text-generation.js';

/**
 * Turns a generation that reports chunks through a callback into a `GenerationStream`.
 * `start` receives `push` for each chunk and an `AbortSignal` that fires when the consumer
 * stops iterating early (`break`), so the generation stops instead of running on unseen.
 *
 * Chunks queue up and a waiting consumer gets the next one from the event loop's check phase
 * (`setImmediate`), not from inside the engine's callback: by then the engine has handed its
 * next token to a worker thread, so the consumer's code runs beside it instead of delaying it.
 * Measured on a tiny model at ~5000 tokens/s: handing chunks over inside the callback cost
 * 1.2 % of raw tokens/s, this 0.7 % (of which ~0.5 % is node-llama-cpp handling the signal).
 */
export function chunkStream(
  start: (push: (chunk: string) => void, stopped: AbortSignal) => Promise<GenerationResult>,
): GenerationStream {
  const chunks: string[] = [];
  let head = 0;
  let waiting:
    | { resolve: (r: IteratorResult<string>) => void; reject: (e: unknown) => void }
    | undefined;
  let finished = false;
  let failure: { error: unknown } | undefined;
  const stop = new AbortController();
  let scheduled = false;
  /** Hands the next queued chunk to a waiting consumer. */
  const flush = () => {
    scheduled = false;
    if (!waiting || head >= chunks.length) return;
    const w = waiting;
    waiting = undefined;
    const value = chunks[head++] as string;
    if (head === chunks.length) chunks.length = head = 0;
    w.resolve({ value, done: false });
  };
  const result = start((chunk) => {
    chunks.push(chunk);
    if (waiting && !scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  }, stop.signal).then(
    (value) => {
      finished = true;
      if (head >= chunks.length) {
        waiting?.resolve({ value: undefined, done: true });
        waiting = undefined;
      }
      return value;
    },
    (error: unknown) => {
      finished = true;
      failure = { error };
      if (head >= chunks.length) {
        waiting?.reject(error);
        waiting = undefined;
      }
      throw error;
    },
  );
  // Callers who only iterate must not get an unhandled rejection from `result`.
  result.catch(() => {});
  return {
    result,
    [Symbol.asyncIterator](): AsyncIterator<string> {
      return {
        next(): Promise<IteratorResult<string>> {
          if (head < chunks.length) {
            const value = chunks[head++] as string;
            if (head === chunks.length) chunks.length = head = 0;
            return Promise.resolve({ value, done: false });
          }
          if (failure) return Promise.reject(failure.error);
          if (finished) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve, reject) => {
            waiting = { resolve, reject };
          });
        },
        async return(): Promise<IteratorResult<string>> {
          stop.abort();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
