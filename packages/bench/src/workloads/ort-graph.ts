import { availableParallelism } from 'node:os';
import { createCpuOnnxBackend } from '@npu-first/backend-cpu';
import { createRuntime, type Tensor } from '@npu-first/core';
import type { InferenceSession } from 'onnxruntime-node';
import { benchFeeds } from '../feeds.js';
import { captureFirstReturn } from '../runner/capture.js';
import { type Contender, interleave } from '../runner/interleave.js';
import { compared, result } from '../runner/results.js';
import { defaultsTarget, pairedRatio, pickBest } from '../runner/stats.js';
import type { BenchResult } from '../types.js';
import { scale, type WorkloadContext } from './context.js';

export interface OrtGraphWorkload {
  /** Shown in results: `silero-vad run`. */
  readonly label: string;
  readonly path: string;
  /** Target for runtime ÷ raw at the same configuration. */
  readonly overheadTarget: number;
  /**
   * Whether a run takes long enough (≥ 5 ms) to measure run by run rather than in blocks of
   * runs; measured from a few runs when not given (a user's own model).
   */
  readonly heavy?: boolean;
}

/**
 * Per-inference cost on one ONNX model, one interleaved run with every contender:
 * the runtime with its defaults; raw onnxruntime-node with its own defaults; raw with each
 * intra-op thread count from 1 to the machine's cores (the sweep). The raw configuration equal
 * to the runtime's (same EP, same session options, same input) gives the overhead ratio;
 * raw defaults and the sweep's best give the defaults comparison.
 */
export async function benchOrtGraph(ctx: WorkloadContext, w: OrtGraphWorkload): Promise<void> {
  const ort = (await import('onnxruntime-node')).default;
  const runtime = await createRuntime({ backends: [createCpuOnnxBackend()], env: {} });
  // The runtime's own ORT session, for the same-configuration comparison.
  const { value: model, captured } = await captureFirstReturn(ort.InferenceSession, 'create', () =>
    runtime.load(w.path, { task: 'graph' }),
  );
  const ownSession = captured as InferenceSession | undefined;
  const threads = model.placement.details?.threads;
  const runtimeThreads = threads?.count;
  const threadsFrom = threads?.why ?? 'engine default';
  const feeds = benchFeeds(model.inputs);
  let heavy = w.heavy;
  if (heavy === undefined) {
    let fastest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await model.run(feeds);
      fastest = Math.min(fastest, performance.now() - t0);
    }
    heavy = fastest >= 5;
  }
  const ortFeeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
  for (const [name, t] of Object.entries(feeds) as [string, Tensor][]) {
    ortFeeds[name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
  }
  const base: InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    logSeverityLevel: 3,
  };
  const sweep = Array.from({ length: availableParallelism() }, (_, i) => i + 1);
  const sessions = new Map<string, InferenceSession>();
  sessions.set('raw default', await ort.InferenceSession.create(w.path, base));
  for (const t of sweep) {
    sessions.set(
      `raw ${t} thread${t > 1 ? 's' : ''}`,
      await ort.InferenceSession.create(w.path, { ...base, intraOpNumThreads: t }),
    );
  }
  const runtimeFn = () => model.run(feeds);
  const contenders: Contender[] = [{ name: 'runtime default', fn: runtimeFn }];
  for (const [name, session] of sessions)
    contenders.push({ name, fn: () => session.run(ortFeeds) });

  // 1. Defaults and the sweep: every configuration in the same rounds.
  ctx.progress(
    `${w.label}: runtime (${runtimeThreads ?? 'engine default'} threads, from ${threadsFrom}) vs raw defaults vs raw 1…${sweep.length} threads`,
  );
  const samples = await interleave(contenders, {
    rounds: scale(ctx, heavy ? 8 : 10, 2),
    timeMs: heavy ? 250 : 150,
    iterations: heavy ? 3 : 64,
    warmupMs: heavy ? 300 : 200,
    warmupIterations: heavy ? 2 : 64,
    onRound: (r, n) => ctx.progress(`  round ${r}/${n}`),
  });
  const rounds = (name: string) => samples.get(name) ?? [];
  const byName = new Map<string, BenchResult>();
  for (const [name, s] of samples) {
    const note =
      name === 'runtime default'
        ? `${runtimeThreads ?? 'engine default'} intra-op threads (${threadsFrom})`
        : undefined;
    byName.set(name, result(w.label, name, 'ms', s.flat(), note ? { note } : {}));
  }
  const rawDefault = byName.get('raw default') as BenchResult;
  const swept = [...byName.entries()].filter(([n]) => n.startsWith('raw ')).map(([, r]) => r);
  const best = pickBest(swept, false, 0.01);
  const rawSameName = runtimeThreads
    ? `raw ${runtimeThreads} thread${runtimeThreads > 1 ? 's' : ''}`
    : 'raw default';
  const rawSameSession = sessions.get(rawSameName);
  const rt = byName.get('runtime default') as BenchResult;

  // 2. Overhead at the same configuration: the runtime against the very ORT session it opened,
  //    called directly (or, if that could not be captured, a raw session with the same options).
  //    One session means one thread pool, so the two can alternate closely: run by run for a
  //    heavy model, in short blocks for a light one.
  const rawSide = ownSession
    ? { session: ownSession, label: "raw (the runtime's own session)" }
    : rawSameSession && { session: rawSameSession, label: `raw (same config: ${rawSameName})` };
  if (rawSide) {
    ctx.progress(`${w.label}: runtime vs ${rawSide.label}`);
    const same = await interleave(
      [
        { name: 'runtime', fn: runtimeFn },
        { name: 'raw', fn: () => rawSide.session.run(ortFeeds) },
      ],
      heavy
        ? {
            rounds: scale(ctx, 120, 4),
            timeMs: 0,
            iterations: 1,
            warmupMs: 300,
            warmupIterations: 2,
            warmupEveryRound: false,
            onRound: (r, n) => r % 20 === 0 && ctx.progress(`  pair ${r}/${n}`),
          }
        : {
            rounds: scale(ctx, 20, 2),
            timeMs: 150,
            iterations: 64,
            warmupMs: 100,
            warmupIterations: 64,
            onRound: (r, n) => ctx.progress(`  round ${r}/${n}`),
          },
    );
    const rawSame = result(w.label, rawSide.label, 'ms', (same.get('raw') ?? []).flat());
    ctx.add(rawSame);
    ctx.add(
      compared(
        result(w.label, 'runtime (same config)', 'ms', (same.get('runtime') ?? []).flat(), {
          note: `${runtimeThreads ?? 'engine default'} intra-op threads; ${heavy ? 'alternating run by run' : 'alternating blocks of runs'}`,
        }),
        rawSame,
        w.overheadTarget,
        undefined,
        pairedRatio(same.get('runtime') ?? [], same.get('raw') ?? []),
      ),
    );
  }
  for (const r of swept) ctx.add(r);
  ctx.add({
    ...best,
    name: `${w.label} · raw best (sweep)`,
    variant: 'raw best (sweep)',
    note: `sweep's best: ${best.variant}`,
  });
  // Faster than the engine's default wherever that default is not already the best.
  const target = defaultsTarget(pairedRatio(rounds('raw default'), rounds(best.variant)));
  ctx.add(
    compared(
      rt,
      rawDefault,
      target.max,
      target.text,
      pairedRatio(rounds('runtime default'), rounds('raw default')),
    ),
  );
  ctx.add(
    compared(
      { ...rt, name: `${w.label} · runtime default vs best`, variant: 'runtime default vs best' },
      best,
      1.05,
      '≤ 1.05× sweep best',
      pairedRatio(rounds('runtime default'), rounds(best.variant)),
    ),
  );
  await model.dispose();
  for (const s of sessions.values()) await s.release();
}
