import { createCpuOnnxBackend } from '@npu-first/backend-cpu';
import {
  createRuntime,
  NpuFirstError,
  type PlacedGraphModel,
  type ServingMove,
  tensor,
} from '@npu-first/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SILERO_PATH } from '../options/silero-model.js';
import { faultyBackend } from './__fixtures__/faulty-backend.js';
import { cpuReference, FIRST, feedsFor, plain } from './silero-cases.js';

let reference: Awaited<ReturnType<typeof cpuReference>>;
beforeAll(async () => {
  reference = await cpuReference(Array.from({ length: 64 }, (_, i) => i));
});

const codeOf = (error: unknown) => (NpuFirstError.isInstance(error) ? error.code : error);

async function loadWith(
  gpu: ReturnType<typeof faultyBackend>,
  options: Parameters<Awaited<ReturnType<typeof createRuntime>>['load']>[1] = {},
  runtimeOptions: Parameters<typeof createRuntime>[0] = {},
) {
  const runtime = await createRuntime({
    backends: [gpu, createCpuOnnxBackend()],
    policy: FIRST,
    env: {},
    ...runtimeOptions,
  });
  return (await runtime.load(SILERO_PATH, { ...options, task: 'graph' })) as PlacedGraphModel;
}

describe('failover while serving (graph models)', () => {
  it('moves to the next backend when a run fails with a lost device, and answers there', async () => {
    const gpu = faultyBackend(createCpuOnnxBackend(), 'gpu-fixture', 'gpu', {
      run: (n) => (n >= 3 ? 'fail' : undefined),
    });
    const model = await loadWith(gpu);
    const moves: ServingMove[] = [];
    model.on('failover', (m) => moves.push(m));
    expect(model.placement.backend).toBe('gpu-fixture');
    for (let id = 0; id < 5; id++)
      expect(plain(await model.run(feedsFor(id)))).toEqual(plain(reference.get(id) ?? []));
    expect(moves).toHaveLength(1);
    const [move] = model.placement.failovers ?? [];
    expect(move).toMatchObject({ from: 'gpu-fixture', to: 'cpu-onnxruntime', code: 'RUN_FAILED' });
    expect(move?.reason).toMatch(/device lost/);
    expect(Number.isNaN(Date.parse(move?.at ?? ''))).toBe(false);
    expect(model.placement).toMatchObject({ backend: 'cpu-onnxruntime', deviceKind: 'cpu' });
    expect(gpu.stats.disposed).toBe(1);
    await model.dispose();
  });

  it('turns a hung run into TIMEOUT and fails over', async () => {
    const gpu = faultyBackend(createCpuOnnxBackend(), 'gpu-fixture', 'gpu', {
      run: (n) => (n === 2 ? 'hang' : undefined),
    });
    const model = await loadWith(gpu, { runTimeoutMs: 300 });
    await model.run(feedsFor(0));
    expect(plain(await model.run(feedsFor(1)))).toEqual(plain(reference.get(1) ?? []));
    expect(model.placement.failovers?.[0]).toMatchObject({
      code: 'TIMEOUT',
      to: 'cpu-onnxruntime',
    });
    // The hung run never returned, so its session is kept rather than freed under it.
    expect(gpu.stats.disposed).toBe(0);
    await model.dispose();
  });

  it('does not move on the caller’s errors', async () => {
    const gpu = faultyBackend(createCpuOnnxBackend(), 'gpu-fixture', 'gpu');
    const model = await loadWith(gpu);
    const bad = { ...feedsFor(0), input: tensor('float32', new Float32Array(5), [5]) };
    await expect(model.run(bad).catch(codeOf)).resolves.toBe('INVALID_INPUT');
    await expect(model.run(feedsFor(0), { outputs: ['nope'] }).catch(codeOf)).resolves.toBe(
      'INVALID_OPTION',
    );
    expect(model.placement.failovers ?? []).toEqual([]);
    expect(model.placement.backend).toBe('gpu-fixture');
    await model.dispose();
  });

  it('surfaces the error when failover is off (load option or runtime option)', async () => {
    const failing = () =>
      faultyBackend(createCpuOnnxBackend(), 'gpu-fixture', 'gpu', { run: () => 'fail' });
    for (const model of [
      await loadWith(failing(), { failover: false }),
      await loadWith(failing(), {}, { failover: false }),
    ]) {
      await expect(model.run(feedsFor(0)).catch(codeOf)).resolves.toBe('RUN_FAILED');
      expect(model.placement.backend).toBe('gpu-fixture');
      expect(model.placement.failovers ?? []).toEqual([]);
      await model.dispose();
    }
  });

  it('rethrows the original error when nothing is left, with the attempt recorded', async () => {
    const gpu = faultyBackend(createCpuOnnxBackend(), 'gpu-fixture', 'gpu', { run: () => 'fail' });
    const model = await loadWith(gpu, { policy: { order: ['gpu-fixture'], selection: 'first' } });
    const error = await model.run(feedsFor(0)).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('RUN_FAILED');
    expect(model.placement.failovers?.[0]).toMatchObject({ from: 'gpu-fixture', to: null });
    await model.dispose();
  });

  it('opens the circuit of a flapping backend, then lets it back after the cooldown', async () => {
    const gpu = faultyBackend(createCpuOnnxBackend(), 'gpu-fixture', 'gpu', { run: () => 'fail' });
    const runtime = await createRuntime({
      backends: [gpu, createCpuOnnxBackend()],
      policy: FIRST,
      env: {},
      circuitBreaker: { failures: 2, windowMs: 60_000, cooldownMs: 300 },
    });
    const load = () => runtime.load(SILERO_PATH, { task: 'graph' });
    for (let i = 0; i < 2; i++) {
      const model = await load();
      expect(model.placement.backend).toBe('gpu-fixture');
      await model.run(feedsFor(0)); // fails over to the CPU
      await model.dispose();
    }
    const skipped = await load();
    expect(skipped.placement.backend).toBe('cpu-onnxruntime');
    const attempt = skipped.placement.attempts.find((a) => a.backend === 'gpu-fixture');
    expect(attempt?.reason).toMatch(/circuit open: 2 serving failures/);
    await skipped.dispose();
    await new Promise((r) => setTimeout(r, 400));
    const back = await load();
    expect(back.placement.backend).toBe('gpu-fixture');
    await back.dispose();
  });

  it('answers 64 concurrent runs exactly once each through a failover', async () => {
    const ids = new WeakMap<object, number>();
    const ok = new Map<number, number>();
    const onRun = (feeds: object, _backend: string, outcome: 'ok' | 'failed') => {
      const id = ids.get(feeds) as number;
      if (outcome === 'ok') ok.set(id, (ok.get(id) ?? 0) + 1);
    };
    const gpu = faultyBackend(createCpuOnnxBackend(), 'gpu-fixture', 'gpu', {
      run: (n) => (n >= 10 ? 'fail' : undefined),
      onRun,
    });
    const cpu = faultyBackend(createCpuOnnxBackend(), 'cpu-fixture', 'cpu', { onRun });
    const runtime = await createRuntime({ backends: [gpu, cpu], policy: FIRST, env: {} });
    const model = await runtime.load(SILERO_PATH, { task: 'graph' });
    let events = 0;
    model.on('failover', () => events++);
    const results = await Promise.allSettled(
      Array.from({ length: 64 }, (_, id) => {
        const feeds = feedsFor(id);
        ids.set(feeds, id);
        return model.run(feeds).then((out) => ({ id, out }));
      }),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    for (const r of results) {
      if (r.status !== 'fulfilled') continue;
      expect(plain(r.value.out)).toEqual(plain(reference.get(r.value.id) ?? []));
    }
    expect([...ok.values()].every((n) => n === 1)).toBe(true);
    expect(ok.size).toBe(64);
    expect(events).toBe(1); // concurrent failures shared one move
    expect(gpu.stats.disposedWhileRunning).toBe(0);
    expect(gpu.stats.disposed).toBe(1);
    await model.dispose();
  });
});
