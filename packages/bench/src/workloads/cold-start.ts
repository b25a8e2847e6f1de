import { BENCH_ROOT } from '../models.js';
import { alternateChildren } from '../runner/child-process.js';
import { compared, result } from '../runner/results.js';
import { summarize } from '../runner/stats.js';
import { scale, type WorkloadContext } from './context.js';

/**
 * Process start to first result, in fresh processes, alternated: a minimal raw
 * onnxruntime-node script versus the runtime (discovery of every installed backend, the
 * chain, load, run), with eager probing (the default) and lazy probing (what the CLI uses).
 */
export async function benchColdStart(ctx: WorkloadContext, label: string, path: string) {
  const args = { model: path, root: BENCH_ROOT, runs: 1 };
  const repeats = scale(ctx, 6, 2);
  ctx.progress(`cold start (${label}): ${repeats}× each, fresh processes`);
  const reports = await alternateChildren(
    [
      { key: 'raw', mode: 'ort-raw', args },
      { key: 'runtime eager', mode: 'ort-runtime', args: { ...args, probe: 'eager' } },
      { key: 'runtime lazy', mode: 'ort-runtime', args: { ...args, probe: 'lazy' } },
    ],
    repeats,
    (d, n) => ctx.progress(`  process ${d}/${n}`),
  );
  const workload = `cold start ${label}`;
  const pick = (key: string, figure = 'firstResultMs') =>
    (reports.get(key) ?? []).map((r) => r[figure] as number);
  /** Where the time goes: the median of each phase the child timed. */
  const phases = (key: string) =>
    Object.keys(reports.get(key)?.[0] ?? {})
      .filter((k) => k.startsWith('phase:'))
      .map((k) => `${k.slice(6)} ${summarize(pick(key, k)).median.toFixed(1)}`)
      .join(' · ');
  const raw = result(workload, 'raw', 'ms', pick('raw'), {
    note: `ms: ${phases('raw')}`,
  });
  ctx.add(raw);
  ctx.add(
    compared(
      result(workload, 'runtime (eager probes)', 'ms', pick('runtime eager'), {
        note: `createRuntime() probing every installed backend; ms: ${phases('runtime eager')}`,
      }),
      raw,
    ),
  );
  ctx.add(
    compared(
      result(workload, 'runtime (lazy probes)', 'ms', pick('runtime lazy'), {
        note: `probe: 'lazy'; ms: ${phases('runtime lazy')}`,
      }),
      raw,
    ),
  );
}
