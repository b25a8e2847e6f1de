/**
 * The request a language model is judged on: a 256-token prompt and 128 generated tokens.
 * `msPerRun` is its time from the measured prompt and decoding speeds, so a backend that
 * digests prompts fast but decodes slowly (or the reverse) is weighed as chat traffic does.
 */
export const REFERENCE_REQUEST = { promptTokens: 256, generatedTokens: 128 } as const;
