import { describe, expect, it } from 'vitest';
import { rotate } from './interleave.js';
import { costRatio, defaultsTarget, pairedRatio, pickBest, quantile, summarize } from './stats.js';

describe('benchmark statistics', () => {
  it('interpolates quantiles and reports the slow tail for throughput', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(summarize([5, 1, 3])).toEqual({ median: 3, p95: 4.8, samples: 3 });
    expect(summarize([5, 1, 3], true).p95).toBeCloseTo(1.2);
  });

  it('computes cost ratios: above 1 the runtime costs more', () => {
    expect(costRatio(2, 1)).toBe(2);
    expect(costRatio(50, 100, true)).toBe(2);
  });

  it('takes the median of per-round ratios, so drift shared by both sides cancels', () => {
    // The machine slows down 3× over the run; the runtime is 10 % slower within every round.
    const raw = [
      [10, 10.2],
      [20, 20.4],
      [30, 30.6],
      [15, 15.3],
      [25, 25.5],
    ];
    const runtime = raw.map((round) => round.map((ms) => ms * 1.1));
    const paired = pairedRatio(runtime, raw);
    expect(paired.ratio).toBeCloseTo(1.1, 10);
    expect(paired.rounds).toBe(5);
    expect(paired.low).toBeCloseTo(1.1, 10);
    expect(paired.high).toBeCloseTo(1.1, 10);
    // A round missing one side is left out; throughput ratios are raw ÷ runtime.
    const tps = pairedRatio([[90], [], [45]], [[100], [50], [50]], true);
    expect(tps.rounds).toBe(2);
    expect(tps.ratio).toBeCloseTo(100 / 90, 10);
    expect(pairedRatio([[]], [[1]]).rounds).toBe(0);
  });

  it('widens the interval with the spread of the per-round ratios', () => {
    const raw = Array.from({ length: 20 }, () => [10]);
    const noisy = raw.map((_, i) => [10 * (1 + ((i % 5) - 2) * 0.02)]);
    const paired = pairedRatio(noisy, raw);
    expect(paired.ratio).toBeCloseTo(1, 10);
    expect(paired.low).toBeLessThan(1);
    expect(paired.high).toBeGreaterThan(1);
    expect(paired.high).toBeLessThanOrEqual(1.04);
  });

  it('asks the runtime to beat the engine default only where something measurably beat it', () => {
    const best = [[50], [51], [49], [50], [52], [50]];
    const slowDefault = best.map(([ms]) => [(ms as number) * 1.4]);
    expect(defaultsTarget(pairedRatio(slowDefault, best))).toEqual({
      max: 1,
      text: '< 1× raw default',
    });
    // Within noise of the best: the default counts as tied, and 5 % is the target.
    const tied = best.map(([ms], i) => [(ms as number) * (i % 2 ? 1.01 : 0.995)]);
    expect(defaultsTarget(pairedRatio(tied, best)).max).toBe(1.05);
    expect(defaultsTarget(pairedRatio([], [])).max).toBe(1.05);
  });

  it('picks the best configuration, the first listed among near-ties', () => {
    const c = [{ median: 10 }, { median: 9.95 }, { median: 12 }];
    expect(pickBest(c)).toBe(c[1]);
    expect(pickBest(c, false, 0.01)).toBe(c[0]);
    expect(pickBest(c, true)).toBe(c[2]);
  });

  it('rotates and reverses the order from round to round', () => {
    expect([0, 1, 2, 3].map((r) => rotate(['a', 'b', 'c'], r).join(''))).toEqual([
      'abc',
      'cba',
      'bca',
      'acb',
    ]);
  });
});
