import type { CoverageDetails } from '@npu-first/core';
import { describeCoverage, type OpCoverage } from './parse-profile.js';

/**
 * A measured ORT coverage as `placement.details.coverage`: graph nodes on the NPU provider out
 * of all, with the one-line description (`41/45 nodes on CoreMLExecutionProvider …`) as its note.
 * Without a measurement the counts are `null` and the note says why.
 */
export function ortCoverageDetails(
  measured: { readonly coverage: OpCoverage } | { readonly unmeasured: string },
): CoverageDetails {
  if ('unmeasured' in measured) {
    return {
      onDevice: null,
      total: null,
      unit: 'nodes',
      note: `op coverage not measured: ${measured.unmeasured}`,
    };
  }
  const { coverage } = measured;
  return {
    onDevice: coverage.npuNodes,
    total: coverage.totalNodes,
    unit: 'nodes',
    note: describeCoverage(coverage),
  };
}
