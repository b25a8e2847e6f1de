import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';

/** What the sequence sampled during one generation. */
export interface SampledTokens {
  /** Every token the engine sampled, in order (held-back ones and end-of-generation included). */
  readonly tokens: Token[];
  /** When the first token was sampled (`performance.now()`). */
  firstSampledAt?: number;
}

/**
 * Records what `sequence` samples. node-llama-cpp's `LlamaChat` and `LlamaCompletion` both
 * generate through `sequence.evaluate()`, yet report text only once their stop-trigger and
 * partial-character detectors release it, and have no callback for a token as it is sampled:
 * wrapping `evaluate` (on this instance, which only this session uses) sees each one. Returns
 * `start()`, which begins a new record for the next generation.
 */
export function watchSampledTokens(sequence: LlamaContextSequence): () => SampledTokens {
  let current: SampledTokens = { tokens: [] };
  const evaluate = sequence.evaluate;
  sequence.evaluate = function (this: LlamaContextSequence, tokens, options) {
    return tee(evaluate.call(this, tokens, options), current);
  } as LlamaContextSequence['evaluate'];
  return () => {
    current = { tokens: [] };
    return current;
  };
}

/** What a consumer of `evaluate()` may send back in: a token to use instead of the sampled one. */
type Reply = Parameters<ReturnType<LlamaContextSequence['evaluate']>['next']>[0];

/** Passes an evaluation's tokens (and the replacement tokens sent back in) through, noting them. */
async function* tee(
  inner: AsyncGenerator<Token, void, Reply>,
  record: SampledTokens,
): AsyncGenerator<Token, void, Reply> {
  try {
    let reply: Reply;
    for (;;) {
      const next = await inner.next(reply);
      if (next.done) return;
      record.firstSampledAt ??= performance.now();
      record.tokens.push(next.value);
      reply = yield next.value;
    }
  } finally {
    await inner.return(undefined);
  }
}

/**
 * The text of sampled tokens that node-llama-cpp held back and never released. When a
 * generation reaches `maxTokens`, tokens that could still begin a stop sequence (or complete
 * a character) stay in its queue and are missing from `response`; since the stop sequence
 * never completed they belong to the reply. Empty when `response` is not the start of what
 * was sampled (a chat template's thought segment or ignored start text: what node-llama-cpp
 * left out there is not reply text) or nothing was held back.
 */
export function heldBackText(model: LlamaModel, sampled: SampledTokens, response: string): string {
  const tokens = sampled.tokens.filter((t) => !model.isEogToken(t));
  // Detokenized without the prompt before it, as node-llama-cpp detokenizes a response (so a
  // leading space goes the same way); a trailing incomplete character stays out, as there.
  const all = model.detokenize(tokens).replace(/\uFFFD+$/, '');
  return all.length > response.length && all.startsWith(response) ? all.slice(response.length) : '';
}
