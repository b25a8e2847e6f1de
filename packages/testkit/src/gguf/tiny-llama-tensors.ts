import { type Random, seededRandom } from '../fixtures/random.js';
import type { GgufTensor } from './tensor-section.js';
import type { TinyLlamaConfig } from './tiny-llama-options.js';
import { type TinyVocab, TokenType } from './vocab.js';

/**
 * Hidden dimension 0 is a constant bias channel: every embedding holds 1 there, no block reads
 * it (column 0 of q/k/v/gate/up is zero) or writes it (row 0 of attn_output/ffn_down is zero),
 * and `output.weight` gives every non-normal token a large negative weight on it. So the model
 * never samples `</s>`, control, unknown or byte tokens: generation always runs to `maxTokens`
 * and yields clean word pieces.
 */
const BIAS_CHANNEL = 0;
const SUPPRESSED_LOGIT_WEIGHT = -100;

/** A `[inner, outer]` weight (`outer` rows of `inner` values), uniform in ±`scale`. */
function matrix(random: Random, inner: number, outer: number, scale: number): Float32Array {
  const data = new Float32Array(inner * outer);
  for (let i = 0; i < data.length; i++) data[i] = random() * scale;
  return data;
}

/** Zeroes input column `column` of a `[inner, outer]` weight, so it ignores that input. */
function ignoreInput(data: Float32Array, inner: number, column: number): Float32Array {
  for (let at = column; at < data.length; at += inner) data[at] = 0;
  return data;
}

/** Zeroes output row `row` of a `[inner, outer]` weight, so it never writes that output. */
function skipOutput(data: Float32Array, inner: number, row: number): Float32Array {
  data.fill(0, row * inner, (row + 1) * inner);
  return data;
}

/** An RMS-norm weight of ones. */
function ones(length: number): GgufTensor['data'] {
  return new Float32Array(length).fill(1);
}

/**
 * The F32 tensors of a llama model, in GGUF dimension order (`[n_embd, n_vocab]` for the
 * embedding), drawn from one seeded stream so the same config always yields the same weights.
 */
export function tinyLlamaTensors(config: TinyLlamaConfig, vocab: TinyVocab): GgufTensor[] {
  const random = seededRandom(config.seed);
  const { embedding: e, feedForward: f, headSize, heads, kvHeads } = config;
  const vocabSize = vocab.tokens.length;
  const q = heads * headSize;
  const kv = kvHeads * headSize;

  const embeddings = matrix(random, e, vocabSize, 1);
  for (let at = BIAS_CHANNEL; at < embeddings.length; at += e) embeddings[at] = 1;
  const output = ignoreInput(matrix(random, e, vocabSize, 1 / Math.sqrt(e)), e, BIAS_CHANNEL);
  vocab.types.forEach((type, token) => {
    if (type !== TokenType.normal) output[token * e + BIAS_CHANNEL] = SUPPRESSED_LOGIT_WEIGHT;
  });

  const reads = (inner: number, outer: number) =>
    ignoreInput(matrix(random, inner, outer, 1 / Math.sqrt(inner)), inner, BIAS_CHANNEL);
  const writes = (inner: number, outer: number) =>
    skipOutput(matrix(random, inner, outer, 1 / Math.sqrt(inner)), inner, BIAS_CHANNEL);

  const tensors: GgufTensor[] = [
    { name: 'token_embd.weight', dims: [e, vocabSize], data: embeddings },
    { name: 'output_norm.weight', dims: [e], data: ones(e) },
    { name: 'output.weight', dims: [e, vocabSize], data: output },
  ];
  for (let layer = 0; layer < config.layers; layer++) {
    const block = `blk.${layer}`;
    tensors.push(
      { name: `${block}.attn_norm.weight`, dims: [e], data: ones(e) },
      { name: `${block}.attn_q.weight`, dims: [e, q], data: reads(e, q) },
      { name: `${block}.attn_k.weight`, dims: [e, kv], data: reads(e, kv) },
      { name: `${block}.attn_v.weight`, dims: [e, kv], data: reads(e, kv) },
      { name: `${block}.attn_output.weight`, dims: [q, e], data: writes(q, e) },
      { name: `${block}.ffn_norm.weight`, dims: [e], data: ones(e) },
      { name: `${block}.ffn_gate.weight`, dims: [e, f], data: reads(e, f) },
      { name: `${block}.ffn_up.weight`, dims: [e, f], data: reads(e, f) },
      { name: `${block}.ffn_down.weight`, dims: [f, e], data: writes(f, e) },
    );
  }
  return tensors;
}
