import type { BenchResult } from '../types.js';

/** What every workload gets: how thorough to be, where to report progress and results. */
export interface WorkloadContext {
  readonly quick: boolean;
  readonly progress: (line: string) => void;
  readonly add: (result: BenchResult) => void;
}

/** Rounds/repeats scaled down for `quick` runs. */
export function scale(ctx: WorkloadContext, full: number, quick = 1): number {
  return ctx.quick ? quick : full;
}
