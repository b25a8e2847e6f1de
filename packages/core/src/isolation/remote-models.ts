import type { DeviceInfo, GraphModel, RunOptions } from '../spec/backend.js';
import type { PlacementDetails } from '../spec/backend-v2.js';
import type { Feeds, Tensor, TensorInfo } from '../spec/tensor.js';
import type {
  EmbeddingResult,
  EmbedOptions,
  GenerateOptions,
  GenerationInput,
  GenerationResult,
  GenerationStream,
  TextGenerator,
} from '../spec/text-generation.js';
import type { LoadedInfo } from './messages.js';
import type { ModelProcess } from './model-process.js';

type GraphInfo = Extract<LoadedInfo, { task: 'graph' }>;
type GeneratorInfo = Extract<LoadedInfo, { task: 'text-generation' }>;

/** A graph model living in another process: each `run()` is a round trip over IPC. */
export class RemoteGraphModel implements GraphModel {
  readonly task = 'graph' as const;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly device: DeviceInfo;
  readonly placementNote?: string;
  /** What the backend reported at load, in the model's process. */
  readonly details: PlacementDetails;
  readonly #process: ModelProcess;
  readonly #name: string;

  constructor(process: ModelProcess, info: GraphInfo) {
    this.#process = process;
    this.#name = info.placement.model.name;
    this.inputs = info.inputs;
    this.outputs = info.outputs;
    this.device = info.device;
    this.details = info.details;
    if (info.placementNote !== undefined) this.placementNote = info.placementNote;
  }

  run(feeds: Feeds, options?: RunOptions): Promise<Record<string, Tensor>> {
    const body = { type: 'run' as const, feeds, ...(options ? { options } : {}) };
    return this.#process.call(body).result as Promise<Record<string, Tensor>>;
  }

  dispose(): Promise<void> {
    return this.#process.dispose(this.#name);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

/** A language model living in another process; streamed text arrives as chunk messages. */
export class RemoteTextGenerator implements TextGenerator {
  readonly task = 'text-generation' as const;
  readonly device: DeviceInfo;
  readonly contextSize: number;
  readonly details: PlacementDetails;
  readonly #process: ModelProcess;
  readonly #name: string;

  constructor(process: ModelProcess, info: GeneratorInfo) {
    this.#process = process;
    this.#name = info.placement.model.name;
    this.device = info.device;
    this.details = info.details;
    this.contextSize = info.contextSize;
  }

  generate(input: GenerationInput, options: GenerateOptions = {}): Promise<GenerationResult> {
    return this.#call(input, options, false).result;
  }

  stream(input: GenerationInput, options: GenerateOptions = {}): GenerationStream {
    const chunks: string[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    let failure: { error: unknown } | undefined;
    const { id, result } = this.#call(input, options, true, (text) => {
      chunks.push(text);
      wake?.();
    });
    result.then(
      () => {
        ended = true;
        wake?.();
      },
      (error: unknown) => {
        ended = true;
        failure = { error };
        wake?.();
      },
    );
    const process = this.#process;
    async function* iterate(): AsyncGenerator<string> {
      try {
        for (;;) {
          const next = chunks.shift();
          if (next !== undefined) yield next;
          else if (failure) throw failure.error;
          else if (ended) return;
          else await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        // A `break` out of the loop stops the generation, as it does in-process.
        if (!ended) process.signal('stop', id);
      }
    }
    return { result, [Symbol.asyncIterator]: iterate };
  }

  #call(
    input: GenerationInput,
    options: GenerateOptions,
    stream: boolean,
    onChunk?: (text: string) => void,
  ): { id: number; result: Promise<GenerationResult> } {
    const { signal, ...rest } = options;
    const body = {
      type: 'generate' as const,
      input,
      options: rest,
      stream,
      aborted: signal?.aborted === true,
    };
    const call = this.#process.call(body, onChunk);
    const result = this.#abortable(call, signal) as Promise<GenerationResult>;
    // Callers who only iterate a stream must not get an unhandled rejection from `result`.
    if (stream) result.catch(() => {});
    return { id: call.id, result };
  }

  /** Embeddings computed in the model's process; the vectors cross as they are (structured clone). */
  embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingResult> {
    // Options other than the signal cross, so the child's checks refuse unknown ones as here.
    const { signal, ...rest } = options;
    const body = {
      type: 'embed' as const,
      input,
      options: rest,
      aborted: signal?.aborted === true,
    };
    return this.#abortable(this.#process.call(body), signal) as Promise<EmbeddingResult>;
  }

  /** The call's result, with the caller's signal relayed to the child while it runs. */
  #abortable(
    call: { id: number; result: Promise<unknown> },
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const onAbort = () => this.#process.signal('abort', call.id);
    signal?.addEventListener('abort', onAbort, { once: true });
    return call.result.finally(() => signal?.removeEventListener('abort', onAbort));
  }

  dispose(): Promise<void> {
    return this.#process.dispose(this.#name);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
