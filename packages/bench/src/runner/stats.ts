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

/** Median and p95 of unsorted samples. For throughput, p95 is the 5th percentile (the slow tail). */
export function summarize(samples: readonly number[], higherIsBetter = false): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
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
