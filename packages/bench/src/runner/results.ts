import type { BenchResult, BenchTarget } from '../types.js';
import { costRatio, type PairedRatio, type Summary, summarize } from './stats.js';

/** Builds a result from samples. */
export function result(
  workload: string,
  variant: string,
  unit: BenchResult['unit'],
  samples: readonly number[] | Summary,
  extra: Partial<Pick<BenchResult, 'note' | 'target'>> = {},
): BenchResult {
  const summary = Array.isArray(samples)
    ? summarize(samples, unit === 'tokens/s')
    : (samples as Summary);
  return { name: `${workload} · ${variant}`, workload, variant, unit, ...summary, ...extra };
}

/**
 * The same result compared with a raw counterpart, with an optional ratio target (≤ max).
 * With `paired` (both measured in the same rounds), the ratio is the median of per-round
 * ratios and carries its 95 % interval; otherwise it is the ratio of the two medians.
 */
export function compared(
  runtime: BenchResult,
  raw: BenchResult,
  maxRatio?: number,
  targetText?: string,
  paired?: PairedRatio,
): BenchResult {
  const usePaired = paired !== undefined && paired.rounds > 0;
  const ratio = usePaired
    ? paired.ratio
    : costRatio(runtime.median, raw.median, runtime.unit === 'tokens/s');
  const target: BenchTarget | undefined =
    maxRatio === undefined
      ? runtime.target
      : { text: targetText ?? `≤ ${maxRatio}× raw`, met: ratio <= maxRatio };
  return {
    ...runtime,
    ratio,
    ...(usePaired
      ? { ratioInterval: [paired.low, paired.high] as const, ratioRounds: paired.rounds }
      : {}),
    against: raw.name,
    ...(target ? { target } : {}),
  };
}

/** A target on the value itself (e.g. discovery ≤ 50 ms). */
export function withLimit(r: BenchResult, max: number, text: string): BenchResult {
  return { ...r, target: { text, met: r.median <= max } };
}
