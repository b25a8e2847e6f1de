import { BENCH_ROOT } from '../models.js';
import { alternateChildren } from '../runner/child-process.js';
import { compared, result } from '../runner/results.js';
import { scale, type WorkloadContext } from './context.js';

export interface MemoryCase {
  readonly label: string;
  readonly path: string;
  readonly kind: 'ort' | 'llama';
  /** Threads for both sides: the same configuration. */
  readonly threads: number;
  readonly runs?: number;
}

/**
 * Peak RSS (`process.resourceUsage().maxRSS`) of a fresh process that loads the model and runs
 * it, runtime versus the raw engine at the same configuration, alternated and repeated.
 */
export async function benchMemory(ctx: WorkloadContext, c: MemoryCase): Promise<void> {
  const args = {
    model: c.path,
    root: BENCH_ROOT,
    threads: c.threads,
    runs: c.runs ?? 20,
    probe: 'lazy',
  };
  const repeats = scale(ctx, 3, 1);
  ctx.progress(`peak RSS (${c.label}): ${repeats}× each, fresh processes`);
  const reports = await alternateChildren(
    [
      { key: 'raw', mode: `${c.kind}-raw`, args },
      { key: 'runtime', mode: `${c.kind}-runtime`, args },
    ],
    repeats,
  );
  const mib = (key: string) => (reports.get(key) ?? []).map((r) => (r.maxRssKiB as number) / 1024);
  const workload = `peak RSS ${c.label}`;
  const raw = result(workload, 'raw', 'MiB', mib('raw'));
  ctx.add(raw);
  ctx.add(
    compared(
      result(workload, 'runtime', 'MiB', mib('runtime'), {
        note: 'discovers the installed backends (lazy probes), loads through the chain',
      }),
      raw,
      1.05,
      '≤ 1.05× raw',
    ),
  );
}
