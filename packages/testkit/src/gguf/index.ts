export { GGUFValueType as GgufValueType } from '@huggingface/gguf';
export { TINY_LLAMA_CHAT_TEMPLATE } from './chat-template.js';
export { ggufAfterName, ggufNameOffset, patchGguf } from './gguf-offsets.js';
export {
  buildTinyLlamaGguf,
  buildTinyLlamaGgufWith,
  type GgufEntry,
  type GgufMetadataEdit,
  writeTinyLlamaGguf,
} from './tiny-llama.js';
export type { TinyLlamaOptions } from './tiny-llama-options.js';
