import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCpuOnnxBackend } from '@npu-first/backend-cpu';
import {
  type BackendPlugin,
  createRuntime,
  type Feeds,
  type Policy,
  type Runtime,
} from '@npu-first/core';
import { BENCH_ROOT } from '../models.js';
import { interleave } from '../runner/interleave.js';
import { compared, result } from '../runner/results.js';
import { pairedRatio } from '../runner/stats.js';
import { scale, type WorkloadContext } from './context.js';

export interface SelectionModel {
  readonly label: string;
  readonly path: string;
  readonly feeds: Feeds;
  /** Whether a run takes ≥ 5 ms (measured run by run rather than in blocks). */
  readonly heavy: boolean;
}

/**
 * A second CPU engine: the example onnxruntime-web plugin, built in this repository. Imported by
 * path, not declared as a dependency: discovery from the bench's package (the discovery and cold
 * start workloads) keeps measuring this project's own backends.
 */
async function wasmPlugin(): Promise<BackendPlugin | undefined> {
  const plugin = join(BENCH_ROOT, '..', '..', 'examples', 'backend-wasm', 'dist', 'plugin.js');
  if (!existsSync(plugin)) return undefined;
  return (await import(pathToFileURL(plugin).href)).default as BackendPlugin;
}

/**
 * Measured selection: with onnxruntime-web ordered before onnxruntime-node (so the policy's
 * preference is the slower engine), does the trial place the model on the faster one? Each
 * candidate is then timed pinned, side by side, and the chosen one's time is compared with the
 * best's (target ≤ 1.05). And what a cached selection costs: a load that finds its verdicts on
 * disk against a plain load of the same backend, interleaved (target ≤ 1.05).
 */
export async function benchSelection(
  ctx: WorkloadContext,
  models: readonly SelectionModel[],
): Promise<void> {
  const wasm = await wasmPlugin();
  if (wasm === undefined) {
    ctx.progress(
      'selection: skipped (examples/backend-wasm is not built here: one CPU engine, nothing to choose)',
    );
    return;
  }
  const cache = join(await mkdtemp(join(tmpdir(), 'npu-first-bench-selection-')), 'placement.json');
  const runtime = await createRuntime({
    backends: [wasm, createCpuOnnxBackend()],
    env: { NPU_FIRST_PLACEMENT_CACHE: cache },
  });
  const policy: Policy = 'order=cpu-onnxruntime-web,cpu';
  for (const m of models) {
    ctx.progress(`selection (${m.label}): trial with onnxruntime-web preferred`);
    const t0 = performance.now();
    const placed = await runtime.load(m.path, {
      task: 'graph',
      policy,
      trial: { feeds: m.feeds, refresh: true },
    });
    const firstLoadMs = performance.now() - t0;
    const chosen = placed.placement.backend;
    await placed.dispose();
    await timeCandidates(ctx, runtime, m, chosen, firstLoadMs, placed.placement.selection.ms ?? 0);
    await timeCachedLoad(ctx, runtime, m, policy, chosen);
  }
}

/** Each candidate pinned (selection=first), timed side by side: chosen ÷ best. */
async function timeCandidates(
  ctx: WorkloadContext,
  runtime: Runtime,
  m: SelectionModel,
  chosen: string,
  firstLoadMs: number,
  trialMs: number,
) {
  ctx.progress(`selection (${m.label}): each candidate pinned, side by side`);
  const ids = ['cpu-onnxruntime', 'cpu-onnxruntime-web'];
  const models = await Promise.all(
    ids.map((id) =>
      runtime.load(m.path, { task: 'graph', policy: { order: [id], selection: 'first' } }),
    ),
  );
  const samples = await interleave(
    models.map((model, i) => ({ name: ids[i] as string, fn: () => model.run(m.feeds) })),
    m.heavy
      ? { rounds: scale(ctx, 6, 1), timeMs: 0, iterations: 3, warmupMs: 0, warmupIterations: 1 }
      : { rounds: scale(ctx, 10, 2), timeMs: 150, iterations: 50, warmupMs: 50 },
  );
  for (const model of models) await model.dispose();
  const workload = `selection ${m.label}`;
  const rows = ids.map((id) => result(workload, id, 'ms', (samples.get(id) ?? []).flat()));
  const best = rows.reduce((a, b) => (b.median < a.median ? b : a));
  const picked = rows[ids.indexOf(chosen)] ?? best;
  for (const r of rows) if (r !== picked) ctx.add(r);
  ctx.add(
    compared(
      {
        ...picked,
        variant: `chosen (${chosen})`,
        name: `${workload} · chosen (${chosen})`,
        note: `first load with the trial ${firstLoadMs.toFixed(0)} ms (trial ${trialMs.toFixed(0)} ms)`,
      },
      best,
      1.05,
      '≤ 1.05× best candidate',
      pairedRatio(samples.get(chosen) ?? [], samples.get(best.variant) ?? []),
    ),
  );
}

/** A load that finds its verdicts in the cache against a plain load of the winner. */
async function timeCachedLoad(
  ctx: WorkloadContext,
  runtime: Runtime,
  m: SelectionModel,
  policy: Policy,
  chosen: string,
) {
  ctx.progress(`selection (${m.label}): cached selection vs plain load`);
  const cached = async () => {
    const model = await runtime.load(m.path, { task: 'graph', policy, trial: { feeds: m.feeds } });
    if (model.placement.selection.method !== 'cache')
      throw new Error('the verdicts were not cached');
    await model.dispose();
  };
  const plain = async () => {
    const model = await runtime.load(m.path, {
      task: 'graph',
      policy: { order: [chosen], selection: 'first' },
    });
    await model.dispose();
  };
  const samples = await interleave(
    [
      { name: 'cached selection', fn: cached },
      { name: 'plain load', fn: plain },
    ],
    { rounds: scale(ctx, 8, 1), timeMs: 200, iterations: 4, warmupMs: 50, warmupIterations: 2 },
  );
  const workload = `load ${m.label}`;
  const plainResult = result(
    workload,
    `plain load (${chosen}, selection=first)`,
    'ms',
    (samples.get('plain load') ?? []).flat(),
  );
  ctx.add(plainResult);
  ctx.add(
    compared(
      result(workload, 'cached selection', 'ms', (samples.get('cached selection') ?? []).flat(), {
        note: 'verdicts read from the placement cache: only the winner is loaded',
      }),
      plainResult,
      1.05,
      '≤ 1.05× plain load',
      pairedRatio(samples.get('cached selection') ?? [], samples.get('plain load') ?? []),
    ),
  );
}
