import { random } from './random.js';

/** A quantile of sorted samples, linearly interpolated (q in [0, 1]). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (position - low);
}

export interface Summary {
  readonly median: number;
  readonly p95: number;
  readonly samples: number;
}

/**
 * Median and p95 of unsorted samples, leaving out non-finite ones (a run with nothing to
 * measure). For throughput, p95 is the 5th percentile (the slow tail).
 */
export function summarize(samples: readonly number[], higherIsBetter = false): Summary {
  const sorted = samples.filter(Number.isFinite).sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, higherIsBetter ? 0.05 : 0.95),
    samples: sorted.length,
  };
}

/** runtime ÷ raw for times and memory, raw ÷ runtime for throughput: above 1 the runtime costs more. */
export function costRatio(runtime: number, raw: number, higherIsBetter = false): number {
  return higherIsBetter ? raw / runtime : runtime / raw;
}

/** A ratio estimated from paired rounds, with a bootstrap 95 % interval. */
export interface PairedRatio {
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  /** Rounds that had samples on both sides. */
  readonly rounds: number;
}

/**
 * The runtime's cost ratio from rounds in which both sides ran back to back: per round, the
 * ratio of the two sides' medians; overall, the median of those per-round ratios. Drift over
 * the run (a noisy neighbour, frequency scaling) moves both sides of a round together, so it
 * cancels here where it does not in a ratio of whole-run medians. The interval comes from
 * 2000 seeded bootstrap resamples of the rounds.
 */
export function pairedRatio(
  runtimeRounds: readonly (readonly number[])[],
  rawRounds: readonly (readonly number[])[],
  higherIsBetter = false,
): PairedRatio {
  const ratios: number[] = [];
  for (let r = 0; r < Math.min(runtimeRounds.length, rawRounds.length); r++) {
    const a = (runtimeRounds[r] as readonly number[]).filter(Number.isFinite);
    const b = (rawRounds[r] as readonly number[]).filter(Number.isFinite);
    if (a.length === 0 || b.length === 0) continue;
    ratios.push(costRatio(summarize(a).median, summarize(b).median, higherIsBetter));
  }
  if (ratios.length === 0)
    return { ratio: Number.NaN, low: Number.NaN, high: Number.NaN, rounds: 0 };
  const next = random(ratios.length);
  const medians: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const resample = ratios.map(() => ratios[Math.floor(next() * ratios.length)] as number);
    medians.push(summarize(resample).median);
  }
  medians.sort((x, y) => x - y);
  return {
    ratio: summarize(ratios).median,
    low: quantile(medians, 0.025),
    high: quantile(medians, 0.975),
    rounds: ratios.length,
  };
}

/**
 * The target for the runtime's defaults against the engine's: faster where some configuration
 * measurably beats the engine's default (the 95 % interval of default ÷ best lies above 1),
 * else — the default is as good as anything the sweep found — within 5 % of it.
 */
export function defaultsTarget(defaultVsBest: PairedRatio): { max: number; text: string } {
  return defaultVsBest.rounds > 0 && defaultVsBest.low > 1
    ? { max: 1, text: '< 1× raw default' }
    : { max: 1.05, text: '≤ 1.05× raw default (nothing beat it measurably)' };
}

/**
 * The best of several measured configurations: lowest median (highest for throughput). Among
 * configurations within `tieTolerance` of the best, the first listed wins, so list the cheaper
 * ones (fewer threads) first.
 */
export function pickBest<T extends { readonly median: number }>(
  candidates: readonly T[],
  higherIsBetter = false,
  tieTolerance = 0,
): T {
  if (candidates.length === 0) throw new RangeError('no candidates');
  const score = (c: T) => (higherIsBetter ? -c.median : c.median);
  const best = Math.min(...candidates.map(score));
  return candidates.find((c) => score(c) <= best + Math.abs(best) * tieTolerance) as T;
}
