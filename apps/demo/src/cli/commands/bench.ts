import { ALL_WORKLOADS, renderTable, runBenchmarks, type WorkloadId } from '@npu-first/bench';
import { InvalidOptionError } from '@npu-first/core';
import { type Io, printJson } from '../output.js';

export interface BenchFlags {
  readonly json?: boolean;
  readonly quick?: boolean;
  readonly only?: string;
}

/**
 * `npu-first bench [model]`: what the runtime costs over the raw engine, measured side by side
 * in one run (on the bundled models, or on yours). Progress goes to stderr.
 */
export async function benchCommand(
  io: Io,
  model: string | undefined,
  flags: BenchFlags,
): Promise<number> {
  const only = flags.only?.split(',').map((s) => s.trim()) as WorkloadId[] | undefined;
  for (const id of only ?? []) {
    if (!ALL_WORKLOADS.includes(id)) {
      throw new InvalidOptionError(
        '--only',
        `unknown workload "${id}" (known: ${ALL_WORKLOADS.join(', ')})`,
      );
    }
  }
  const started = performance.now();
  const report = await runBenchmarks({
    ...(model ? { model } : {}),
    ...(only ? { workloads: only } : {}),
    quick: flags.quick ?? false,
    onProgress: (line) =>
      io.err(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`),
  });
  if (flags.json) printJson(io, report);
  else io.out(renderTable(report));
  return 0;
}
