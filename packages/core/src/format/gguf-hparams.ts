import type { GgufKv, GgufLayout } from './gguf-layout.js';
import { GgufFieldError } from './gguf-reader.js';
import { GgufType } from './gguf-types.js';

/** llama-hparams.h */
const LLAMA_MAX_LAYERS = 512;
const LLAMA_MAX_EXPERTS = 1024;
/** llama-model.cpp `LLAMA_ROPE_SCALING_TYPES`; any other name trips a GGML_ASSERT. */
const ROPE_SCALING_TYPES = new Set(['none', 'linear', 'yarn', 'longrope']);
/** Past any real model; larger values only serve to overflow size arithmetic. */
const MAX_EMBEDDING = 1 << 20;

/**
 * Checks the metadata llama.cpp's model loader asserts on (GGML_ASSERT aborts the whole
 * process, it cannot be caught) or that breaks its graph later: layer and expert counts,
 * attention heads that must divide, the RoPE scaling name, and a tokenizer whose arrays
 * agree. Values llama.cpp merely throws on (wrong tensor shapes, missing keys) are left to
 * it: those fail the load cleanly. Throws `GgufFieldError` naming the key.
 */
export function checkGgufHparams(layout: GgufLayout): void {
  const kv = layout.kv;
  const arch = kv.get('general.architecture')?.value;
  if (typeof arch === 'string' && arch !== '') checkModel(layout, arch);
  checkVocab(kv);
}

function checkModel(layout: GgufLayout, arch: string): void {
  const kv = layout.kv;
  const key = (name: string) => `${arch}.${name}`;
  const layers = scalar(kv, key('block_count'));
  if (layers !== undefined && !(layers >= 1 && layers <= LLAMA_MAX_LAYERS)) {
    fail(kv, key('block_count'), `${layers} is outside 1–${LLAMA_MAX_LAYERS}`);
  }
  const nextn = scalar(kv, key('nextn_predict_layers'));
  if (nextn !== undefined && layers !== undefined && nextn > layers) {
    fail(kv, key('nextn_predict_layers'), `${nextn} exceeds block_count ${layers}`);
  }
  const embedding = scalar(kv, key('embedding_length'));
  if (embedding !== undefined && !(embedding >= 1 && embedding <= MAX_EMBEDDING)) {
    fail(kv, key('embedding_length'), `${embedding} is outside 1–${MAX_EMBEDDING}`);
  }
  const context = scalar(kv, key('context_length'));
  if (context !== undefined && context < 1) {
    fail(kv, key('context_length'), 'must be at least 1 token');
  }
  checkExperts(kv, key);
  checkHeads(layout, key, layers ?? 0, embedding);
  checkFeedForward(layout, key, layers ?? 0);
  const rope = kv.get(key('rope.scaling.type'));
  if (rope && (typeof rope.value !== 'string' || !ROPE_SCALING_TYPES.has(rope.value))) {
    fail(
      kv,
      rope.key,
      `"${String(rope.value)}" is not one of ${[...ROPE_SCALING_TYPES].join(', ')}`,
    );
  }
}

function checkExperts(kv: ReadonlyMap<string, GgufKv>, key: (name: string) => string): void {
  const experts = scalar(kv, key('expert_count')) ?? 0;
  const usedValues = perLayer(kv, key('expert_used_count'));
  const used = Math.max(0, ...usedValues);
  const groups = scalar(kv, key('expert_group_count')) ?? 0;
  const groupUsed = scalar(kv, key('expert_group_used_count')) ?? 0;
  if (experts > LLAMA_MAX_EXPERTS) {
    fail(kv, key('expert_count'), `${experts} exceeds llama.cpp's ${LLAMA_MAX_EXPERTS}`);
  }
  if (used > experts) {
    fail(kv, key('expert_used_count'), `${used} exceeds expert_count ${experts}`);
  }
  if (experts > 0) {
    if (used === 0) fail(kv, key('expert_used_count'), 'must be at least 1 with experts');
    if (groups >= experts) {
      fail(kv, key('expert_group_count'), `${groups} must be below expert_count ${experts}`);
    }
    if (groups > 1 && (experts % groups !== 0 || groupUsed < 1 || groupUsed >= groups)) {
      fail(kv, key('expert_group_count'), `${groups} groups do not fit ${experts} experts`);
    }
  } else if (groups !== 0) {
    fail(kv, key('expert_group_count'), 'is set but the model has no experts');
  }
}

/**
 * A layer with attention weights needs heads: zero heads divides by zero, and key/value heads
 * that do not divide the query heads break ggml's broadcast in the attention matmul.
 */
function checkHeads(
  layout: GgufLayout,
  key: (name: string) => string,
  layers: number,
  embedding: number | undefined,
): void {
  const kv = layout.kv;
  const heads = perLayer(kv, key('attention.head_count'));
  const kvHeads = perLayer(kv, key('attention.head_count_kv'));
  const attention = new Set(
    layout.tensors
      .map((t) => /^blk\.(\d+)\.attn_(?:q|qkv)\.weight$/.exec(t.name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number),
  );
  const explicitHeadSize = kv.has(key('attention.key_length'));
  for (const name of ['attention.key_length', 'attention.value_length']) {
    const size = scalar(kv, key(name));
    if (size === 0 && attention.size > 0) fail(kv, key(name), 'is 0, but the model has attention');
  }
  for (let layer = 0; layer < Math.max(layers, 1); layer++) {
    const h = heads.length > 1 ? heads[layer] : heads[0];
    const hkv = (kvHeads.length > 1 ? kvHeads[layer] : kvHeads[0]) ?? h;
    if (h === undefined || hkv === undefined) continue;
    const where = heads.length > 1 ? ` for layer ${layer}` : '';
    if (h === 0 && attention.has(layer)) {
      fail(kv, key('attention.head_count'), `is 0${where}, but the layer has attention weights`);
    }
    if (hkv > h) {
      fail(kv, key('attention.head_count_kv'), `${hkv}${where} exceeds head_count ${h}`);
    }
    if (!attention.has(layer)) continue;
    if (hkv === 0 || h % hkv !== 0) {
      fail(kv, key('attention.head_count_kv'), `${hkv}${where} does not divide head_count ${h}`);
    }
    if (!explicitHeadSize && embedding !== undefined && embedding % h !== 0) {
      fail(
        kv,
        key('attention.head_count'),
        `${h}${where} does not divide embedding_length ${embedding}`,
      );
    }
  }
}

/**
 * llama.cpp sizes each layer's feed-forward weights from this value and aborts on a zero
 * dimension (`GGML_ASSERT(t_meta.ne[dim] >= 1)`), so layers with such weights need it ≥ 1.
 */
function checkFeedForward(layout: GgufLayout, key: (name: string) => string, layers: number): void {
  const ff = perLayer(layout.kv, key('feed_forward_length'));
  if (ff.length === 0) return;
  const withFfn = new Set(
    layout.tensors
      .map((t) => /^blk\.(\d+)\.ffn_(?:up|gate|down)\.weight$/.exec(t.name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number),
  );
  for (let layer = 0; layer < Math.max(layers, 1); layer++) {
    const size = ff.length > 1 ? ff[layer] : ff[0];
    if (size === 0 && withFfn.has(layer)) {
      const where = ff.length > 1 ? ` for layer ${layer}` : '';
      fail(
        layout.kv,
        key('feed_forward_length'),
        `is 0${where}, but the layer has feed-forward weights`,
      );
    }
  }
}

const TOKENIZER_SCORE_TYPES = new Set<number>([GgufType.FLOAT32, GgufType.INT32]);

/** llama-vocab.cpp reads these arrays unchecked by type, and aborts on duplicate tokens. */
function checkVocab(kv: ReadonlyMap<string, GgufKv>): void {
  const tokens = kv.get('tokenizer.ggml.tokens');
  if (!tokens) return;
  if (tokens.arrayType !== GgufType.STRING) fail(kv, tokens.key, 'must be an array of strings');
  const count = tokens.count ?? 0;
  // The vocabulary sizes the embedding matrix; llama.cpp aborts on a zero dimension.
  if (count === 0) fail(kv, tokens.key, 'is empty: a model needs at least one token');
  const seen = new Set<string>();
  for (const [i, token] of (tokens.items ?? []).entries()) {
    // llama.cpp renames empty tokens "[EMPTY_<i>]", so only non-empty ones can collide.
    if (token === '') continue;
    if (seen.has(token as string)) {
      fail(kv, tokens.key, `token ${i} ${JSON.stringify(token)} appears twice`);
    }
    seen.add(token as string);
  }
  const scores = kv.get('tokenizer.ggml.scores');
  if (scores && !TOKENIZER_SCORE_TYPES.has(scores.arrayType ?? -1)) {
    fail(kv, scores.key, 'must be an array of float32 or int32');
  }
  if (scores && (scores.count ?? 0) < count) {
    fail(kv, scores.key, `holds ${scores.count} scores for ${count} tokens`);
  }
  const types = kv.get('tokenizer.ggml.token_type');
  if (types && types.arrayType !== GgufType.INT32) fail(kv, types.key, 'must be an array of int32');
  if (types && (types.count ?? 0) < count) {
    fail(kv, types.key, `holds ${types.count} token types for ${count} tokens`);
  }
  const merges = kv.get('tokenizer.ggml.merges');
  if (merges && merges.arrayType !== GgufType.STRING) {
    fail(kv, merges.key, 'must be an array of strings');
  }
}

/** A numeric scalar's value; `undefined` when absent or not a number. */
function scalar(kv: ReadonlyMap<string, GgufKv>, key: string): number | undefined {
  const value = kv.get(key)?.value;
  return typeof value === 'number' ? value : undefined;
}

/** A key llama.cpp reads as "one value or one per layer" (`get_key_or_arr`). */
function perLayer(kv: ReadonlyMap<string, GgufKv>, key: string): number[] {
  const entry = kv.get(key);
  if (!entry) return [];
  if (typeof entry.value === 'number') return [entry.value];
  return (entry.items ?? []).filter((v): v is number => typeof v === 'number');
}

function fail(kv: ReadonlyMap<string, GgufKv>, key: string, problem: string): never {
  throw new GgufFieldError(`metadata "${key}"`, kv.get(key)?.offset ?? 0, problem);
}
