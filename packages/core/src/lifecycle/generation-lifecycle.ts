import {
  ContextOverflowError,
  EmbeddingUnsupportedError,
  GenerationAbortedError,
  ModelDisposedError,
  RunFailedError,
} from '../errors/errors.js';
import type { DeviceInfo } from '../spec/backend.js';
import type {
  CheckedGeneration,
  GenerationSession,
  PlacementDetails,
  SessionEmbedding,
  SessionGeneration,
} from '../spec/backend-v2.js';
import type {
  EmbeddingResult,
  EmbedOptions,
  GenerateOptions,
  GenerationInput,
  GenerationResult,
  GenerationStream,
  TextGenerator,
} from '../spec/text-generation.js';
import { checkEmbeddingInput, checkEmbedOptions } from '../validation/check-embedding.js';
import { checkGenerateOptions, checkGenerationInput } from '../validation/check-generation.js';
import { chunkStream } from './chunk-stream.js';
import { type LifecycleOptions, noteOf, typedRunError } from './lifecycle-options.js';
import { SerialQueue } from './serial-queue.js';

/** A signal that never aborts, for generations nobody can stop. */
const NEVER = new AbortController().signal;

/**
 * The language model a user holds, over an engine's `GenerationSession`. It checks input and
 * options, runs generations one at a time in call order, refuses a prompt that would overflow
 * the context (with the session's token count), builds `stream()` on the session's chunk
 * callback, turns an abort into `GenerationAbortedError`, and times the generation around the
 * engine's own token counts. `embed()` goes through the same queue: one engine context at a
 * time. `dispose()` waits for the calls already queued.
 */
export class GenerationLifecycle implements TextGenerator {
  readonly task = 'text-generation' as const;
  readonly device: DeviceInfo;
  readonly contextSize: number;
  /** What the backend reported at load, for `model.placement.details`. */
  readonly details: PlacementDetails | undefined;
  readonly placementNote: string | undefined;
  readonly #session: GenerationSession;
  readonly #name: string;
  readonly #backendId: string;
  readonly #queue = new SerialQueue();
  #disposing: Promise<void> | undefined;

  constructor(session: GenerationSession, device: DeviceInfo, options: LifecycleOptions) {
    this.#session = session;
    this.device = device;
    this.contextSize = session.contextSize;
    this.details = options.details;
    this.placementNote = noteOf(options.details);
    this.#name = options.name;
    this.#backendId = options.backendId;
  }

  generate(input: GenerationInput, options: GenerateOptions = {}): Promise<GenerationResult> {
    return this.#start(input, options, undefined, undefined);
  }

  stream(input: GenerationInput, options: GenerateOptions = {}): GenerationStream {
    return chunkStream((push, stopped) => this.#start(input, options, push, stopped));
  }

  #start(
    input: GenerationInput,
    options: GenerateOptions,
    onChunk: ((chunk: string) => void) | undefined,
    stopped: AbortSignal | undefined,
  ): Promise<GenerationResult> {
    try {
      if (this.#disposing) throw new ModelDisposedError(this.#name);
      checkGenerationInput(input);
      const checked = checkGenerateOptions(options, this.contextSize);
      return this.#queue.run(() => this.#generate({ input, options: checked }, onChunk, stopped));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #generate(
    request: CheckedGeneration,
    onChunk: ((chunk: string) => void) | undefined,
    stopped: AbortSignal | undefined,
  ): Promise<GenerationResult> {
    const caller = request.options.signal;
    // A stream's consumer that stops iterating stops the engine too.
    const signals = [caller, stopped].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : (signals[0] ?? NEVER);
    if (signal.aborted) throw new GenerationAbortedError('', 0);
    const start = performance.now();
    const { maxTokens } = request.options;
    if (this.#session.countPromptTokens) {
      const promptTokens = await this.#session.countPromptTokens(request.input);
      if (promptTokens + maxTokens > this.contextSize)
        throw new ContextOverflowError(promptTokens, maxTokens, this.contextSize);
    }
    let text = '';
    let chunks = 0;
    let firstChunkAt: number | undefined;
    const collect = (chunk: string) => {
      firstChunkAt ??= performance.now();
      text += chunk;
      chunks++;
      onChunk?.(chunk);
    };
    let counted: SessionGeneration;
    const called = performance.now();
    try {
      counted = await this.#session.generate(request, collect, signal);
    } catch (error) {
      if (GenerationAbortedError.isInstance(error)) throw error;
      // The engine gave no counts: the chunks delivered stand in for its tokens.
      if (signal.aborted) throw new GenerationAbortedError(text, chunks, { cause: error });
      throw typedRunError(this.#backendId, error);
    }
    // An engine that finished despite the caller's abort: the caller asked to stop, and is told so.
    if (caller?.aborted) throw new GenerationAbortedError(counted.text, counted.generatedTokens);
    return { text: counted.text, stats: timings(counted, start, called, firstChunkAt) };
  }

  /** Embeddings from the session's `embed`, queued with generations; refused when it has none. */
  embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingResult> {
    try {
      if (this.#disposing) throw new ModelDisposedError(this.#name);
      const session = this.#session;
      if (!session.embed)
        throw new EmbeddingUnsupportedError(this.#backendId, 'its engine session has no embed()');
      const engine = session.embed.bind(session);
      const texts = checkEmbeddingInput(input);
      const signal = checkEmbedOptions(options) ?? NEVER;
      return this.#queue.run(() => this.#embed(engine, texts, signal));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #embed(
    engine: NonNullable<GenerationSession['embed']>,
    texts: readonly string[],
    signal: AbortSignal,
  ): Promise<EmbeddingResult> {
    // Aborted before its turn: the engine is not asked (and no token was generated).
    if (signal.aborted) throw new GenerationAbortedError('', 0);
    const start = performance.now();
    let counted: SessionEmbedding;
    try {
      counted = await engine(texts, signal);
    } catch (error) {
      if (GenerationAbortedError.isInstance(error)) throw error;
      if (signal.aborted) throw new GenerationAbortedError('', 0, { cause: error });
      throw typedRunError(this.#backendId, error);
    }
    if (signal.aborted) throw new GenerationAbortedError('', 0);
    // A vector missing or extra would pair texts with the wrong vectors downstream.
    if (counted.vectors.length !== texts.length)
      throw new RunFailedError(
        this.#backendId,
        `the engine returned ${counted.vectors.length} embeddings for ${texts.length} texts`,
      );
    return {
      vectors: counted.vectors,
      promptTokens: counted.promptTokens,
      totalMs: round(performance.now() - start),
    };
  }

  dispose(): Promise<void> {
    this.#disposing ??= (async () => {
      await this.#queue.idle();
      await this.#session.release();
    })();
    return this.#disposing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

/** Stats from the engine's counts and the wall clock around its generation. */
function timings(
  counted: SessionGeneration,
  start: number,
  called: number,
  firstChunkAt: number | undefined,
): GenerationResult['stats'] {
  const end = performance.now();
  const totalMs = end - start;
  // The engine's first-token time counts from its own call; the prompt count came before it.
  const firstMs =
    counted.timeToFirstTokenMs !== undefined
      ? called - start + counted.timeToFirstTokenMs
      : (firstChunkAt ?? end) - start;
  const generated = counted.generatedTokens;
  const decodeMs = totalMs - firstMs;
  const tokensPerSecond =
    generated > 1 && decodeMs > 0
      ? ((generated - 1) * 1000) / decodeMs
      : generated > 0 && totalMs > 0
        ? (generated * 1000) / totalMs
        : 0;
  return {
    promptTokens: counted.promptTokens,
    generatedTokens: generated,
    timeToFirstTokenMs: round(firstMs),
    tokensPerSecond: round(tokensPerSecond),
    totalMs: round(totalMs),
    stopReason: counted.stopReason,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
