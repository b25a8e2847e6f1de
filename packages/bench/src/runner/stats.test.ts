import { describe, expect, it } from 'vitest';
import { rotate } from './interleave.js';
import { costRatio, pickBest, quantile, summarize } from './stats.js';

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
