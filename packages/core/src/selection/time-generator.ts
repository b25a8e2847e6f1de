import type { TextGenerator } from '../spec/text-generation.js';
import { median } from '../util/stats.js';
import { messageOf, withTimeout } from '../util/timeout.js';
import { REFERENCE_REQUEST } from './reference-request.js';
import type { TrialFigures, TrialLimits } from './time-graph.js';

/** A loaded language model taking part in a selection trial. */
export interface GeneratorContender {
  readonly id: string;
  readonly model: TextGenerator;
}

/** Tokens each trial generation produces: enough for a decoding speed, few enough to be quick. */
const TRIAL_TOKENS = 24;

/** Different first words each round, so no round reuses the evaluated prompt of the last. */
const OPENERS = ['Consider', 'Imagine', 'Describe', 'Explain', 'Summarise', 'Recall'];
const BODY =
  ' how a small neural processor, a discrete graphics card and a general purpose CPU share the work of running a language model on a laptop, which of them wakes first, how memory moves between them, and what the user notices when the battery runs low during a long conversation about the weather.';

/**
 * Times language models: one short warm-up generation each, then rounds of greedy generations
 * on a fresh prompt (so prompt processing is measured too), the order alternating. Medians of
 * prompt tokens a second (prompt tokens ÷ time to first token) and decoding tokens a second.
 */
export async function timeGeneratorContenders(
  contenders: readonly GeneratorContender[],
  limits: TrialLimits,
): Promise<TrialFigures[]> {
  const failures = new Map<string, string>();
  const prompt = new Map<string, number[]>(contenders.map((c) => [c.id, []]));
  const decode = new Map<string, number[]>(contenders.map((c) => [c.id, []]));
  const generate = async (c: GeneratorContender, round: number, maxTokens: number) => {
    if (failures.has(c.id)) return;
    const text = `${OPENERS[round % OPENERS.length]} (${round})${BODY}`;
    try {
      const { stats } = await withTimeout(
        c.model.generate(text, { maxTokens, temperature: 0 }),
        limits.runTimeoutMs,
        `${c.id} trial generation`,
      );
      if (round < 0) return;
      if (stats.timeToFirstTokenMs > 0)
        prompt.get(c.id)?.push(stats.promptTokens / (stats.timeToFirstTokenMs / 1000));
      if (stats.generatedTokens > 1 && stats.tokensPerSecond > 0)
        decode.get(c.id)?.push(stats.tokensPerSecond);
    } catch (error) {
      failures.set(c.id, `a trial generation failed: ${messageOf(error)}`);
    }
  };
  for (const c of contenders) await generate(c, -1, 4);
  const start = performance.now();
  for (let round = 0; round < limits.maxRounds; round++) {
    if (round >= limits.minRounds && performance.now() - start >= limits.budgetMs) break;
    for (const c of round % 2 === 0 ? contenders : [...contenders].reverse())
      await generate(c, round, TRIAL_TOKENS);
  }
  return contenders.map((c): TrialFigures => {
    const failure = failures.get(c.id);
    const pps = median(prompt.get(c.id) ?? []);
    const tps = median(decode.get(c.id) ?? []);
    const runs = (prompt.get(c.id) ?? []).length;
    const base = { id: c.id, runs, outputs: 'unchecked' as const };
    if (failure !== undefined) return { ...base, failure };
    if (!(pps > 0 && tps > 0))
      return { ...base, failure: 'the trial generations gave no prompt or decoding speed' };
    const ms =
      (REFERENCE_REQUEST.promptTokens / pps + REFERENCE_REQUEST.generatedTokens / tps) * 1000;
    return { ...base, msPerRun: ms, promptTokensPerSecond: pps, tokensPerSecond: tps };
  });
}
