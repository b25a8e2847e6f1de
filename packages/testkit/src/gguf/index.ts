export { TINY_LLAMA_CHAT_TEMPLATE } from './chat-template.js';
export { buildTinyLlamaGguf, writeTinyLlamaGguf } from './tiny-llama.js';
export type { TinyLlamaOptions } from './tiny-llama-options.js';
