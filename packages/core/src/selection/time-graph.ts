import type { GraphModel } from '../spec/backend.js';
import type { Feeds, Tensor } from '../spec/tensor.js';
import { lowerQuartile, median } from '../util/stats.js';
import { messageOf, withTimeout } from '../util/timeout.js';
import { compareOutputs } from './compare-outputs.js';

/** A loaded graph model taking part in a selection trial. */
export interface GraphContender {
  readonly id: string;
  readonly model: GraphModel;
}

/** What a trial found of one contender. */
export interface TrialFigures {
  readonly id: string;
  readonly msPerRun?: number;
  readonly runs: number;
  readonly outputs: 'agree' | 'differ' | 'unchecked';
  /** Relative L2 error of its outputs against the reference's (see `compareOutputs`). */
  readonly outputError?: number;
  readonly failure?: string;
  /** Language models: the speeds `msPerRun` is computed from. */
  readonly promptTokensPerSecond?: number;
  readonly tokensPerSecond?: number;
}

/** How long a trial may take; tests shorten them. */
export interface TrialLimits {
  /** Bound on any single run (the first one includes shader compilation on GPUs). */
  readonly runTimeoutMs: number;
  /** Timed rounds continue until this much time has passed (and at least `minRounds`). */
  readonly budgetMs: number;
  readonly minRounds: number;
  readonly maxRounds: number;
}

/**
 * Warm-up after the first run: at least one more run, a second when runs are short (< 100 ms),
 * and on until 20 ms have passed — so a model that takes seconds a run is not run for minutes.
 */
function warmingUp(runs: number, elapsedMs: number): boolean {
  return runs < 1 || (runs < 2 && elapsedMs < 100) || elapsedMs < 20;
}

/** Runs shorter than this are timed in blocks that last about this long. */
const BLOCK_MS = 2;

export const DEFAULT_TRIAL_LIMITS: TrialLimits = {
  runTimeoutMs: 30_000,
  budgetMs: 300,
  minRounds: 3,
  maxRounds: 200,
};

/**
 * Times graph models on the same feeds. Each contender runs once first (outputs compared with
 * the reference's: a contender whose results are wrong, not rounded, fails), warms up
 * (`warmingUp`), then all take turns in rounds, the order alternating, so drift on a busy
 * machine hits them alike; runs under 2 ms are timed in blocks of back-to-back runs. Rounds go
 * on for `budgetMs` (at least `minRounds`, unless ten budgets pass first). A run that throws or outlives `runTimeoutMs` fails its
 * contender; the others go on.
 */
export async function timeGraphContenders(
  contenders: readonly GraphContender[],
  feeds: Feeds,
  referenceId: string | undefined,
  limits: TrialLimits = DEFAULT_TRIAL_LIMITS,
): Promise<TrialFigures[]> {
  const failures = new Map<string, string>();
  const firstOutputs = new Map<string, Record<string, Tensor>>();
  const once = async (c: GraphContender): Promise<number | undefined> => {
    if (failures.has(c.id)) return undefined;
    const start = performance.now();
    try {
      const out = await withTimeout(c.model.run(feeds), limits.runTimeoutMs, `${c.id} trial run`);
      if (!firstOutputs.has(c.id)) firstOutputs.set(c.id, out);
      return performance.now() - start;
    } catch (error) {
      failures.set(c.id, `a trial run failed: ${messageOf(error)}`);
      return undefined;
    }
  };
  for (const c of contenders) await once(c);
  const reference = referenceId === undefined ? undefined : firstOutputs.get(referenceId);
  const outputs = new Map<string, TrialFigures['outputs']>();
  const errors = new Map<string, number>();
  for (const c of contenders) {
    const own = firstOutputs.get(c.id);
    if (reference === undefined || own === undefined || c.id === referenceId) {
      outputs.set(c.id, 'unchecked');
      continue;
    }
    const { error, problem } = compareOutputs(own, reference);
    outputs.set(c.id, problem ? 'differ' : 'agree');
    errors.set(c.id, error);
    if (problem) failures.set(c.id, `its outputs differ from ${referenceId}'s: ${problem}`);
  }
  // Warm-up, which also sizes each contender's block: runs of a few ms are timed in blocks
  // of back-to-back runs, so each sample is not the first run after switching engines.
  const block = new Map<string, number>();
  for (const c of contenders) {
    const warm: number[] = [];
    const start = performance.now();
    for (let n = 0; n < 50 && warmingUp(n, performance.now() - start); n++) {
      const ms = await once(c);
      if (ms === undefined) break;
      warm.push(ms);
    }
    block.set(c.id, Math.min(64, Math.max(1, Math.ceil(BLOCK_MS / (median(warm) || BLOCK_MS)))));
  }
  const samples = new Map<string, number[]>(contenders.map((c) => [c.id, []]));
  const start = performance.now();
  for (let round = 0; round < limits.maxRounds; round++) {
    const elapsed = performance.now() - start;
    if (round >= limits.minRounds && elapsed >= limits.budgetMs) break;
    // Heavy models: a round of seconds is its own average; stop at ten budgets' worth.
    if (round >= 1 && elapsed >= limits.budgetMs * 10) break;
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const c of order) {
      const k = block.get(c.id) ?? 1;
      let total = 0;
      for (let i = 0; i < k && total >= 0; i++)
        total += (await once(c)) ?? Number.NEGATIVE_INFINITY;
      if (total >= 0) samples.get(c.id)?.push(total / k);
    }
    if (contenders.every((c) => failures.has(c.id))) break;
  }
  return contenders.map((c) => {
    const runs = samples.get(c.id) ?? [];
    const failure = failures.get(c.id);
    return {
      id: c.id,
      runs: runs.length,
      outputs: outputs.get(c.id) ?? 'unchecked',
      ...(errors.has(c.id) ? { outputError: errors.get(c.id) as number } : {}),
      ...(failure === undefined ? { msPerRun: lowerQuartile(runs) } : { failure }),
    };
  });
}
