import {
  buildTinyLlamaGguf,
  buildTinyLlamaGgufWith,
  type GgufEntry,
  type GgufMetadataEdit,
  ggufAfterName,
  patchGguf,
  GgufValueType as T,
} from '@npu-first/testkit';

/** A crafted model and the error code npu-first must answer it with. */
export interface Variant {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly code: 'MODEL_CORRUPT' | 'MODEL_FORMAT_UNSUPPORTED';
  /** When a `.gguf` name changes the answer for a file on disk. */
  readonly codeByPath?: 'MODEL_CORRUPT';
}

const u32 = (value: number): GgufEntry => ({ value, type: T.UINT32 });
const str = (value: string): GgufEntry => ({ value, type: T.STRING });
const U63 = 2n ** 63n - 1n;

/** The valid tiny llama every variant starts from. */
export const TINY_GGUF = buildTinyLlamaGguf();

/** Cuts of the tiny GGUF at many offsets: inside the header, the metadata, the tensor infos, the data. */
export function ggufTruncations(): Variant[] {
  const size = TINY_GGUF.length;
  const cuts = [5, 8, 12, 20, 23, 24, 25, 40, 100, 300, 700, 1_000, 4_000, 8_000, 12_000];
  for (let i = 1; i < 8; i++) cuts.push(Math.floor((size * i) / 8));
  cuts.push(size - 64, size - 1);
  return cuts.map((cut) => ({
    name: `GGUF cut to ${cut} of ${size} bytes`,
    bytes: TINY_GGUF.slice(0, cut),
    code: 'MODEL_CORRUPT',
  }));
}

/** Counts and lengths set to 0 where that is wrong, remaining + 1, 2^32 and 2^63−1. */
export function ggufLimits(): Variant[] {
  const bare = new Uint8Array(24);
  bare.set([0x47, 0x47, 0x55, 0x46, 3]);
  const out: Variant[] = [];
  const add = (name: string, bytes: Uint8Array) => out.push({ name, bytes, code: 'MODEL_CORRUPT' });
  for (const [field, at] of [
    ['tensor_count', 8],
    ['kv_count', 16],
  ] as const) {
    add(`24-byte file with ${field} 2^63−1`, patchGguf(bare, at, U63, 8));
    for (const value of [2n ** 32n, U63, BigInt(TINY_GGUF.length)]) {
      add(`tiny GGUF with ${field} ${value}`, patchGguf(TINY_GGUF, at, value, 8));
    }
  }
  add('24-byte file with both counts 2^63−1', patchGguf(patchGguf(bare, 8, U63, 8), 16, U63, 8));
  const firstKey = 24;
  const remaining = TINY_GGUF.length - firstKey - 8;
  for (const value of [0n, BigInt(remaining + 1), 2n ** 32n, U63]) {
    add(`first key length ${value}`, patchGguf(TINY_GGUF, firstKey, value, 8));
  }
  // tokenizer.ggml.tokens: type u32, element type u32, then the u64 element count.
  const tokensCount = ggufAfterName(TINY_GGUF, 'tokenizer.ggml.tokens') + 8;
  for (const value of [BigInt(TINY_GGUF.length), 2n ** 32n, U63]) {
    add(`tokens array length ${value}`, patchGguf(TINY_GGUF, tokensCount, value, 8));
  }
  const firstToken = tokensCount + 8;
  for (const value of [2n ** 32n, U63]) {
    add(`first token string length ${value}`, patchGguf(TINY_GGUF, firstToken, value, 8));
  }
  const typeAt = ggufAfterName(TINY_GGUF, 'general.name');
  add('unknown metadata value type 13', patchGguf(TINY_GGUF, typeAt, 13, 4));
  add('metadata value type 2^32−1', patchGguf(TINY_GGUF, typeAt, 2 ** 32 - 1, 4));
  const nDims = ggufAfterName(TINY_GGUF, 'token_embd.weight');
  add('tensor n_dims 5', patchGguf(TINY_GGUF, nDims, 5, 4));
  add('tensor n_dims 2^32−1', patchGguf(TINY_GGUF, nDims, 2 ** 32 - 1, 4));
  for (const value of [0n, 2n ** 32n, U63, 2n ** 64n - 1n]) {
    add(`tensor dims[0] ${value}`, patchGguf(TINY_GGUF, nDims + 4, value, 8));
  }
  const tensorType = nDims + 4 + 16;
  add('tensor type 4 (removed from GGUF)', patchGguf(TINY_GGUF, tensorType, 4, 4));
  add('tensor type 2^32−1', patchGguf(TINY_GGUF, tensorType, 2 ** 32 - 1, 4));
  for (const value of [1n, BigInt(TINY_GGUF.length), U63]) {
    add(`tensor data offset ${value}`, patchGguf(TINY_GGUF, tensorType + 4, value, 8));
  }
  const alignment = ggufAfterName(TINY_GGUF, 'general.alignment') + 4;
  for (const value of [0, 3, 2 ** 31]) {
    add(`general.alignment ${value}`, patchGguf(TINY_GGUF, alignment, value, 4));
  }
  add('GGUF version 0', patchGguf(TINY_GGUF, 4, 0, 4));
  add('GGUF version 2^32−1', patchGguf(TINY_GGUF, 4, 2 ** 32 - 1, 4));
  out.push({
    name: 'wrong magic',
    bytes: patchGguf(TINY_GGUF, 0, 0x46554747 + 1, 4),
    code: 'MODEL_FORMAT_UNSUPPORTED',
    // Named .gguf, bytes that are neither format read as a damaged GGUF.
    codeByPath: 'MODEL_CORRUPT',
  });
  return out;
}

/**
 * Metadata that llama.cpp's loader GGML_ASSERTs on — each one, unchecked, aborts the whole
 * process (found by loading each with node-llama-cpp directly).
 */
export const NATIVE_ABORTS: Readonly<Record<string, Record<string, GgufMetadataEdit>>> = {
  'attention.head_count 0': { 'llama.attention.head_count': u32(0) },
  'attention.head_count_kv 0': { 'llama.attention.head_count_kv': u32(0) },
  'block_count 0': { 'llama.block_count': u32(0) },
  'block_count 513': { 'llama.block_count': u32(513) },
  'block_count 2^32−1': { 'llama.block_count': u32(2 ** 32 - 1) },
  'feed_forward_length 0': { 'llama.feed_forward_length': u32(0) },
  'expert_count 2000': { 'llama.expert_count': u32(2000), 'llama.expert_used_count': u32(2) },
  'expert_used_count without experts': { 'llama.expert_used_count': u32(2) },
  'rope.scaling.type unknown': { 'llama.rope.scaling.type': str('bogus') },
  'duplicate token': {
    'tokenizer.ggml.tokens': (c) => {
      const tokens = (c?.value ?? []) as string[];
      return { ...(c as GgufEntry), value: [tokens[5] as string, ...tokens.slice(1)] };
    },
  },
  'empty vocabulary': {
    'tokenizer.ggml.tokens': (c) => ({ ...(c as GgufEntry), value: [] }),
  },
};

/** Metadata at zero or absurd sizes that must be refused before the engine. */
export function ggufMetadata(): Variant[] {
  const edits: Record<string, Record<string, GgufMetadataEdit>> = {
    ...NATIVE_ABORTS,
    'head_count_kv 3 (does not divide 4)': { 'llama.attention.head_count_kv': u32(3) },
    'head_count_kv 8 (more than head_count)': { 'llama.attention.head_count_kv': u32(8) },
    'head_count 3 (does not divide embedding 64)': {
      'llama.attention.head_count': u32(3),
      'llama.attention.head_count_kv': u32(3),
    },
    'embedding_length 0': { 'llama.embedding_length': u32(0) },
    'embedding_length 2^31': { 'llama.embedding_length': u32(2 ** 31) },
    'context_length 0': { 'llama.context_length': u32(0) },
    'attention.key_length 0': { 'llama.attention.key_length': u32(0) },
    'scores shorter than tokens': {
      'tokenizer.ggml.scores': (c) => ({ ...(c as GgufEntry), value: [0, 0] }),
    },
    'token_type as float32': {
      'tokenizer.ggml.token_type': (c) => ({ ...(c as GgufEntry), subType: T.FLOAT32 }),
    },
    'tokens as int32': {
      'tokenizer.ggml.tokens': (c) => ({
        ...(c as GgufEntry),
        value: ((c?.value ?? []) as unknown[]).map((_, i) => i),
        subType: T.INT32,
      }),
    },
    'general.alignment as a string': { 'general.alignment': str('32') },
  };
  return Object.entries(edits).map(([name, edit]) => ({
    name,
    bytes: buildTinyLlamaGgufWith(edit),
    code: 'MODEL_CORRUPT',
  }));
}
