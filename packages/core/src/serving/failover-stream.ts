import { StreamInterruptedError } from '../errors/errors.js';
import type {
  GenerateOptions,
  GenerationInput,
  GenerationResult,
  GenerationStream,
  TextGenerator,
} from '../spec/text-generation.js';
import type { ModelServer } from './serving-model.js';

/**
 * `stream()` with failover. A failure before the first chunk restarts the generation from its
 * input on the next backend, unseen. A failure after chunks were delivered cannot be hidden —
 * they cannot be taken back — so the model still fails over, but the stream (and `result`)
 * ends with `StreamInterruptedError` carrying the partial text and the move; never a
 * fragment passed off as a complete result.
 */
export function failoverStream(
  server: ModelServer<TextGenerator>,
  input: GenerationInput,
  options: GenerateOptions | undefined,
): GenerationStream {
  const queue: string[] = [];
  let waiting: ((r: IteratorResult<string>) => void) | undefined;
  let waitingReject: ((e: unknown) => void) | undefined;
  let end: { error?: unknown } | undefined;
  let stopInner: (() => void) | undefined;
  let stopped = false;
  let delivered = '';

  const result: Promise<GenerationResult> = server.call(
    async (model) => {
      const inner = model.stream(input, options);
      const chunks = inner[Symbol.asyncIterator]();
      stopInner = () => void chunks.return?.();
      if (stopped) stopInner();
      for (;;) {
        const next = await chunks.next();
        if (next.done) break;
        delivered += next.value;
        if (waiting) {
          const w = waiting;
          waiting = waitingReject = undefined;
          w({ value: next.value, done: false });
        } else queue.push(next.value);
      }
      return inner.result;
    },
    {
      mayRetry: () => delivered === '',
      interrupted: (error, from, move) =>
        new StreamInterruptedError(from, delivered, move, { cause: error }),
    },
  );
  const finish = (error?: unknown) => {
    end = error === undefined ? {} : { error };
    if (waiting && queue.length === 0) {
      if (error === undefined) waiting({ value: undefined, done: true });
      else waitingReject?.(error);
      waiting = waitingReject = undefined;
    }
  };
  result.then(() => finish(), finish);
  return {
    result,
    [Symbol.asyncIterator](): AsyncIterator<string> {
      return {
        next(): Promise<IteratorResult<string>> {
          const value = queue.shift();
          if (value !== undefined) return Promise.resolve({ value, done: false });
          if (end?.error !== undefined) return Promise.reject(end.error);
          if (end) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve, reject) => {
            waiting = resolve;
            waitingReject = reject;
          });
        },
        async return(): Promise<IteratorResult<string>> {
          // Breaking out of `for await` stops the generation, as on the engine's own stream.
          stopped = true;
          stopInner?.();
          await result.catch(() => {});
          return { value: undefined, done: true };
        },
      };
    },
  };
}
