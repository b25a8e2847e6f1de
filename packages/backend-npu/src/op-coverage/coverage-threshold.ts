import { describeCoverage, type OpCoverage } from './parse-profile.js';

/**
 * Default for `minNpuCoverage`: at least 80% of the graph's nodes on the NPU. Every place a
 * graph crosses between the NPU and the CPU costs a tensor copy and a synchronisation, and a
 * graph cut into several NPU partitions with CPU islands between them is often slower than
 * the CPU alone; a model mostly on the NPU is worth it. A heuristic, not a measurement —
 * lower it (or set 0) for a model you have timed.
 */
export const DEFAULT_MIN_NPU_COVERAGE = 0.8;

/** Whether a measured coverage is enough to keep the model on the NPU. */
export type CoverageVerdict =
  | { readonly accept: true }
  | { readonly accept: false; readonly reason: string };

/** Rejects a session whose share of nodes on the NPU is below `minNpuCoverage`. */
export function judgeCoverage(
  coverage: OpCoverage,
  minNpuCoverage: number,
  backendId: string,
): CoverageVerdict {
  if (coverage.ratio >= minNpuCoverage) return { accept: true };
  const pct = (r: number) => `${Math.round(r * 100)}%`;
  return {
    accept: false,
    reason: `only ${pct(coverage.ratio)} of the graph runs on the NPU (${describeCoverage(coverage)}), below minNpuCoverage ${minNpuCoverage}: a graph split between NPU and CPU is often slower than the CPU alone. To keep it on the NPU anyway: backendOptions: { '${backendId}': { minNpuCoverage: ${Math.floor(coverage.ratio * 100) / 100} } }`,
  };
}
