import type { DeviceInfo } from './backend.js';

/** One turn of a conversation; formatted with the model's own chat template. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** A raw prompt, or a conversation ending with the user's turn. */
export type GenerationInput = string | readonly ChatMessage[];

/** Sampling and stopping options for one generation. */
export interface GenerateOptions {
  /** Tokens to generate at most. Default 256; at most the context size. */
  readonly maxTokens?: number;
  /** 0 (the default) always picks the most likely token; higher is more random. */
  readonly temperature?: number;
  /** Nucleus sampling threshold in (0, 1]; only used when `temperature` > 0. */
  readonly topP?: number;
  /** Seed for sampling: the same seed, prompt and options give the same text. */
  readonly seed?: number;
  /** Strings that end generation; they are not part of the returned text. */
  readonly stop?: readonly string[];
  /** Aborting stops generation promptly: the call rejects with `GenerationAbortedError`. */
  readonly signal?: AbortSignal;
}

/** Why generation ended. */
export type StopReason = 'end-of-text' | 'max-tokens' | 'stop-sequence';

/** Measurements of one generation. */
export interface GenerationStats {
  readonly promptTokens: number;
  readonly generatedTokens: number;
  /** From the call to the first generated token: prompt processing plus one decode step. */
  readonly timeToFirstTokenMs: number;
  /** Decoding speed after the first token (all tokens over the total time if only one). */
  readonly tokensPerSecond: number;
  readonly totalMs: number;
  readonly stopReason: StopReason;
}

export interface GenerationResult {
  readonly text: string;
  readonly stats: GenerationStats;
}

/**
 * A streaming generation: iterate it for text chunks as they are produced; `result`
 * settles with the full text and stats when generation ends (or rejects as `generate` would).
 */
export interface GenerationStream extends AsyncIterable<string> {
  readonly result: Promise<GenerationResult>;
}

/** Options for one `embed()` call. */
export interface EmbedOptions {
  /** Aborting stops before the next text: the call rejects with `GenerationAbortedError`. */
  readonly signal?: AbortSignal;
}

/** The embeddings of one `embed()` call. */
export interface EmbeddingResult {
  /** One vector per input, in input order (the engine's pooled embedding, as returned — not normalised unless the engine does). */
  readonly vectors: readonly Float32Array[];
  /** Tokens the engine evaluated, over all inputs. */
  readonly promptTokens: number;
  readonly totalMs: number;
}

/**
 * A language model loaded on a backend. Generations and embeddings on one model run one at a
 * time, in call order.
 */
export interface TextGenerator extends AsyncDisposable {
  readonly task: 'text-generation';
  readonly device: DeviceInfo;
  /** Tokens the context holds: prompt plus generated text must fit. */
  readonly contextSize: number;
  generate(input: GenerationInput, options?: GenerateOptions): Promise<GenerationResult>;
  stream(input: GenerationInput, options?: GenerateOptions): GenerationStream;
  /**
   * The embedding of each text (a non-empty string, or a non-empty array of them). Optional
   * here so that v1 backends' generators stay valid; every model `runtime.load()` returns has
   * it, and throws `EmbeddingUnsupportedError` when its backend cannot embed.
   */
  embed?(input: string | readonly string[], options?: EmbedOptions): Promise<EmbeddingResult>;
  /** Frees the model and its context. Idempotent; later calls throw `ModelDisposedError`. */
  dispose(): Promise<void>;
}
