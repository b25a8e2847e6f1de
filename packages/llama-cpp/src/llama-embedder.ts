import {
  ContextOverflowError,
  EmbeddingUnsupportedError,
  GenerationAbortedError,
  type SessionEmbedding,
} from '@npu-first/core';
import type { LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';

/** What the embedding context is made like: the generation context's size and threads. */
export interface EmbedderOptions {
  readonly backendId: string;
  readonly contextSize: number;
  readonly threads: number;
}

/**
 * Embeddings of a GGUF model on node-llama-cpp. Its embedding context is a second llama.cpp
 * context, made on the first `embed()` (models that only generate never pay for it) and freed
 * by `dispose()`. The vector is llama.cpp's pooled embedding as the model's pooling type makes
 * it; for a model without one (most chat models), the last token's.
 */
export class LlamaEmbedder {
  readonly #model: LlamaModel;
  readonly #options: EmbedderOptions;
  #context: Promise<LlamaEmbeddingContext> | undefined;

  constructor(model: LlamaModel, options: EmbedderOptions) {
    this.#model = model;
    this.#options = options;
  }

  async embed(texts: readonly string[], signal: AbortSignal): Promise<SessionEmbedding> {
    const context = await this.#contextOf();
    const { contextSize } = this.#options;
    // The tokens node-llama-cpp evaluates: the text with its special tokens, plus the start and
    // end tokens the vocabulary asks for. All are checked before any is evaluated.
    const lengths = texts.map((text) => context.calculateInputLength(text));
    lengths.forEach((length, i) => {
      // node-llama-cpp needs one position to spare (it refuses length ≥ context size).
      if (length >= contextSize)
        throw new ContextOverflowError(length, 0, contextSize, { input: `input[${i}]` });
    });
    const vectors: Float32Array[] = [];
    for (const text of texts) {
      // One text is one llama.cpp evaluation, which cannot be interrupted: stop between them.
      if (signal.aborted) throw new GenerationAbortedError('', 0);
      const { vector } = await context.getEmbeddingFor(text);
      vectors.push(Float32Array.from(vector));
    }
    return { vectors, promptTokens: lengths.reduce((sum, n) => sum + n, 0) };
  }

  async dispose(): Promise<void> {
    const context = await this.#context?.catch(() => undefined);
    await context?.dispose();
  }

  #contextOf(): Promise<LlamaEmbeddingContext> {
    if (!this.#context) {
      const { fileInsights } = this.#model;
      // node-llama-cpp refuses these; said here as the typed error it is.
      if (fileInsights.hasEncoder && fileInsights.hasDecoder)
        throw new EmbeddingUnsupportedError(
          this.#options.backendId,
          'node-llama-cpp computes no embeddings for encoder-decoder models',
        );
      const { contextSize, threads } = this.#options;
      this.#context = this.#model.createEmbeddingContext({
        contextSize,
        // One batch holds a whole text: llama.cpp pools over one decode, so a text split over
        // several would be pooled from its last part only (and non-causal models refuse it).
        batchSize: contextSize,
        threads,
      });
      // A failed creation (memory) is tried again on the next call.
      this.#context.catch(() => {
        this.#context = undefined;
      });
    }
    return this.#context;
  }
}
