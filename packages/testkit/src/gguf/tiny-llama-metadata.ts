import { type GGUFTypedMetadata, GGUFValueType, type MetadataValue } from '@huggingface/gguf';
import { TINY_LLAMA_CHAT_TEMPLATE } from './chat-template.js';
import type { TinyLlamaConfig } from './tiny-llama-options.js';
import type { TinyVocab } from './vocab.js';

/** GGUF's default tensor-data alignment, written out explicitly as `general.alignment`. */
export const GGUF_ALIGNMENT = 32;

/** `general.file_type` for a model whose tensors are all F32. */
const FILE_TYPE_ALL_F32 = 0;

type Entry = { value: MetadataValue; type: GGUFValueType; subType?: GGUFValueType };

const u32 = (value: number): Entry => ({ value, type: GGUFValueType.UINT32 });
const f32 = (value: number): Entry => ({ value, type: GGUFValueType.FLOAT32 });
const str = (value: string): Entry => ({ value, type: GGUFValueType.STRING });
const bool = (value: boolean): Entry => ({ value, type: GGUFValueType.BOOL });
const array = (value: MetadataValue[], subType: GGUFValueType): Entry => ({
  value,
  type: GGUFValueType.ARRAY,
  subType,
});

/**
 * The typed metadata for `@huggingface/gguf`'s `serializeGgufMetadata`: GGUF v3, the llama
 * hyper-parameters llama.cpp requires, and a SentencePiece (`llama`) tokenizer with a ChatML
 * chat template. `kv_count` is recomputed by the serializer; `tensor_count` must be right.
 */
export function tinyLlamaMetadata(
  config: TinyLlamaConfig,
  vocab: TinyVocab,
  tensorCount: number,
): GGUFTypedMetadata {
  const entries: Record<string, Entry> = {
    'general.architecture': str('llama'),
    'general.name': str('npu-first tiny llama'),
    'general.alignment': u32(GGUF_ALIGNMENT),
    'general.file_type': u32(FILE_TYPE_ALL_F32),
    'llama.context_length': u32(config.contextLength),
    'llama.embedding_length': u32(config.embedding),
    'llama.block_count': u32(config.layers),
    'llama.feed_forward_length': u32(config.feedForward),
    'llama.attention.head_count': u32(config.heads),
    'llama.attention.head_count_kv': u32(config.kvHeads),
    'llama.rope.dimension_count': u32(config.headSize),
    'llama.rope.freq_base': f32(10_000),
    'llama.attention.layer_norm_rms_epsilon': f32(1e-5),
    'llama.vocab_size': u32(vocab.tokens.length),
    'tokenizer.ggml.model': str('llama'),
    'tokenizer.ggml.tokens': array(vocab.tokens, GGUFValueType.STRING),
    'tokenizer.ggml.scores': array(vocab.scores, GGUFValueType.FLOAT32),
    'tokenizer.ggml.token_type': array(vocab.types, GGUFValueType.INT32),
    'tokenizer.ggml.bos_token_id': u32(vocab.bosId),
    'tokenizer.ggml.eos_token_id': u32(vocab.eosId),
    'tokenizer.ggml.unknown_token_id': u32(vocab.unknownId),
    'tokenizer.ggml.add_bos_token': bool(true),
    'tokenizer.ggml.add_eos_token': bool(false),
    'tokenizer.chat_template': str(TINY_LLAMA_CHAT_TEMPLATE),
  };
  return {
    version: { value: 3, type: GGUFValueType.UINT32 },
    tensor_count: { value: BigInt(tensorCount), type: GGUFValueType.UINT64 },
    kv_count: { value: BigInt(Object.keys(entries).length), type: GGUFValueType.UINT64 },
    ...entries,
  };
}
