/**
 * The tiny model's `tokenizer.chat_template`: plain ChatML, so llama.cpp and node-llama-cpp's
 * chat wrappers can format messages. `<|im_start|>` and `<|im_end|>` are control tokens.
 */
export const TINY_LLAMA_CHAT_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + " +
  "message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
