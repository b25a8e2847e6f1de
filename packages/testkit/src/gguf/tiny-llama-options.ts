/** Size and seed of a generated tiny llama model. Every field is optional. */
export interface TinyLlamaOptions {
  /** Seed for the random weights; the same options always give the same bytes. Default 1. */
  seed?: number;
  /** Transformer blocks. Default 2. */
  layers?: number;
  /** Hidden size, `llama.embedding_length`. Default 64. */
  embedding?: number;
  /** Attention heads; must divide `embedding` into an even head size. Default 4. */
  heads?: number;
  /** Key/value heads (grouped-query attention); must divide `heads`. Default `heads`. */
  kvHeads?: number;
  /** Feed-forward hidden size. Default 128. */
  feedForward?: number;
  /** Trained context length the model advertises. Default 512. */
  contextLength?: number;
}

/** {@link TinyLlamaOptions} with every default filled in and the head size derived. */
export type TinyLlamaConfig = Required<TinyLlamaOptions> & { headSize: number };

/** Fills in defaults and checks the shapes are ones llama.cpp can run. */
export function resolveTinyLlamaOptions(options: TinyLlamaOptions = {}): TinyLlamaConfig {
  const heads = options.heads ?? 4;
  const config = {
    seed: options.seed ?? 1,
    layers: options.layers ?? 2,
    embedding: options.embedding ?? 64,
    heads,
    kvHeads: options.kvHeads ?? heads,
    feedForward: options.feedForward ?? 128,
    contextLength: options.contextLength ?? 512,
  };
  for (const [key, value] of Object.entries(config)) {
    const positive = key === 'seed' ? value >= 0 : value > 0;
    if (!Number.isInteger(value) || !positive)
      throw new RangeError(`${key} must be a positive integer`);
  }
  const headSize = config.embedding / heads;
  if (!Number.isInteger(headSize) || headSize % 2 !== 0) {
    throw new RangeError('embedding / heads must be an even integer (RoPE rotates pairs)');
  }
  if (heads % config.kvHeads !== 0) throw new RangeError('kvHeads must divide heads');
  return { ...config, headSize };
}
