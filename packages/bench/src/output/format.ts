import type { BenchResult } from '../types.js';

/** A figure with sensible precision for its size. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toFixed(0);
  if (abs >= 100) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(4);
}

/** `1.003×`, with the 95 % interval where the ratio comes from paired rounds: `1.003× (0.996–1.010)`. */
export function fmtRatio(r: BenchResult): string {
  if (r.ratio === undefined) return '';
  const ci = r.ratioInterval;
  return ci
    ? `${r.ratio.toFixed(3)}× (${ci[0].toFixed(3)}–${ci[1].toFixed(3)})`
    : `${r.ratio.toFixed(3)}×`;
}

export function fmtTarget(r: BenchResult): string {
  if (!r.target) return '';
  const verdict = r.target.met === null ? 'not judged' : r.target.met ? 'met' : 'MISSED';
  return `${verdict} (${r.target.text})`;
}

/** The rows every writer shows, in order. */
export function rows(results: readonly BenchResult[]): string[][] {
  return results.map((r) => [
    r.workload,
    r.variant,
    `${fmt(r.median)} ${r.unit}`,
    `${fmt(r.p95)}`,
    String(r.samples),
    fmtRatio(r),
    fmtTarget(r),
    r.note ?? '',
  ]);
}

export const HEADERS = ['workload', 'variant', 'median', 'p95', 'n', 'ratio', 'target', 'note'];
