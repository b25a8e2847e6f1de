import { createCpuOnnxBackend } from '@npu-first/backend-cpu';
import { createRuntime, type ServingMove } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import { SILERO_PATH } from '../options/silero-model.js';
import { faultyBackend } from './__fixtures__/faulty-backend.js';
import { cpuReference, FIRST, feedsFor, plain } from './silero-cases.js';

/** A promise and its resolver, so the test decides when a load or a run may go on. */
function gate() {
  let open!: () => void;
  const closed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { closed, open };
}

describe('warm start', () => {
  it('serves on the CPU at once, then hands over; runs in flight finish where they started', async () => {
    const reference = await cpuReference([0, 1, 2, 3, 4]);
    const accelerator = gate();
    const cpuRuns = gate();
    const served: string[] = [];
    const onRun = (_feeds: object, backend: string, outcome: string) => {
      if (outcome === 'ok') served.push(backend);
    };
    const gpu = faultyBackend(createCpuOnnxBackend(), 'gpu-slow-fixture', 'gpu', {
      loadGate: accelerator.closed,
      onRun,
    });
    const cpu = faultyBackend(createCpuOnnxBackend(), 'cpu-fixture', 'cpu', {
      runGate: () => cpuRuns.closed,
      onRun,
    });
    const runtime = await createRuntime({ backends: [gpu, cpu], policy: FIRST, env: {} });
    const model = await runtime.load(SILERO_PATH, { task: 'graph', warmStart: true });
    expect(model.placement.backend).toBe('cpu-fixture');
    const handedOver = new Promise<ServingMove>((resolve) => model.on('handover', resolve));

    const inFlight = [0, 1, 2, 3].map((id) => model.run(feedsFor(id)));
    accelerator.open();
    const move = await handedOver;
    expect(move).toMatchObject({ from: 'cpu-fixture', to: 'gpu-slow-fixture' });
    expect(move.reason).toMatch(/^warm start: gpu-slow-fixture ready after \d+ ms$/);
    expect(model.placement).toMatchObject({ backend: 'gpu-slow-fixture', deviceKind: 'gpu' });
    expect(model.placement.handovers).toHaveLength(1);
    expect(cpu.stats.disposed).toBe(0); // its runs are still in flight

    cpuRuns.open();
    const outputs = await Promise.all(inFlight);
    outputs.forEach((out, id) => {
      expect(plain(out)).toEqual(plain(reference.get(id) ?? []));
    });
    expect(served).toEqual(['cpu-fixture', 'cpu-fixture', 'cpu-fixture', 'cpu-fixture']);
    expect(plain(await model.run(feedsFor(4)))).toEqual(plain(reference.get(4) ?? []));
    expect(served.at(-1)).toBe('gpu-slow-fixture');
    await new Promise((r) => setImmediate(r));
    expect(cpu.stats.disposed).toBe(1);
    expect(cpu.stats.disposedWhileRunning).toBe(0);
    await model.dispose();
  });

  it('keeps serving on the CPU when the accelerator fails to load, and says why', async () => {
    const accelerator = gate();
    const gpu = faultyBackend(createCpuOnnxBackend(), 'gpu-broken-fixture', 'gpu', {
      loadGate: accelerator.closed,
      loadFails: 'out of device memory (injected by the fixture)',
    });
    const runtime = await createRuntime({
      backends: [gpu, createCpuOnnxBackend()],
      policy: FIRST,
      env: {},
    });
    const model = await runtime.load(SILERO_PATH, { task: 'graph', warmStart: true });
    const settled = new Promise<ServingMove>((resolve) => model.on('handover', resolve));
    accelerator.open();
    const move = await settled;
    expect(move.to).toBeNull();
    expect(move.reason).toMatch(/no accelerator took over.*out of device memory/s);
    expect(model.placement.backend).toBe('cpu-onnxruntime');
    await model.run(feedsFor(0));
    await model.dispose();
  });
});
