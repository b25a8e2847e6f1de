import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Backend,
  createRuntime,
  InvalidOptionError,
  NpuFirstError,
  SPECIFICATION_VERSION,
} from '@npu-first/core';
import { buildMlp, compareTensors, TOLERANCES, truncate } from '@npu-first/testkit';
import { describe, expect, it } from 'vitest';
import { createCpuOnnxBackend } from './cpu-onnx-backend.js';
import plugin from './plugin.js';

/** A GPU backend on a machine without one: what backend-gpu reports here. */
const noGpu: Backend = {
  specificationVersion: SPECIFICATION_VERSION,
  id: 'gpu-absent',
  deviceKind: 'gpu',
  formats: ['onnx'],
  tasks: ['graph'],
  probe: async () => ({
    available: false,
    devices: [],
    reason: 'no GPU: no DRM render node under /dev/dri',
  }),
  load: async () => {
    throw new Error('unreachable');
  },
};
/** An NPU backend whose engine fails to start, as ONNX Runtime's EPs do. */
const brokenNpu: Backend = {
  ...noGpu,
  id: 'npu-broken',
  deviceKind: 'npu',
  probe: async () => ({ available: true, devices: [{ name: 'fixture NPU' }] }),
  load: async () => {
    throw new Error('execution provider failed to initialise');
  },
};

describe('the CPU backend in the chain', () => {
  it('serves a real model after the NPU fails and the GPU is unavailable', async () => {
    const runtime = await createRuntime({
      backends: [createCpuOnnxBackend(), noGpu, brokenNpu],
      env: {},
    });
    const fixture = buildMlp();
    const model = await runtime.load(fixture.bytes, { task: 'graph' });
    expect(model.placement.attempts.map((a) => [a.backend, a.outcome])).toEqual([
      ['npu-broken', 'failed'],
      ['gpu-absent', 'unavailable'],
      ['cpu-onnxruntime', 'selected'],
    ]);
    const feeds = fixture.makeFeeds(11);
    const out = await model.run(feeds);
    expect(
      compareTensors(out.y as never, fixture.reference(feeds).y as never, TOLERANCES.fp32),
    ).toBeUndefined();
    await model.dispose();
  });

  it('is discovered from its package manifest through the plugin entry', async () => {
    const [backend] = await plugin.createBackends();
    expect(backend?.id).toBe('cpu-onnxruntime');
    expect(plugin.specificationVersion).toBe('v2');
    expect(backend?.specificationVersion).toBe('v2');
  });

  it('applies threads and graph optimisation level, and the results stay the same', async () => {
    const runtime = await createRuntime({ backends: [createCpuOnnxBackend()], env: {} });
    const fixture = buildMlp();
    const feeds = fixture.makeFeeds(3);
    for (const options of [
      { threads: 1, graphOptimizationLevel: 'disabled' as const },
      { threads: 2, graphOptimizationLevel: 'all' as const },
    ]) {
      const model = await runtime.load(fixture.bytes, {
        task: 'graph',
        ...options,
        backendOptions: {
          'cpu-onnxruntime': { executionMode: 'sequential', enableMemPattern: false },
        },
      });
      const out = await model.run(feeds);
      expect(
        compareTensors(out.y as never, fixture.reference(feeds).y as never, TOLERANCES.fp32),
      ).toBeUndefined();
      await model.dispose();
    }
  });

  it('reports its threads and why, and the engine device, as placement details', async () => {
    const runtime = await createRuntime({ backends: [createCpuOnnxBackend()], env: {} });
    const fixture = buildMlp();
    const chosen = await runtime.load(fixture.bytes, { task: 'graph', threads: 2 });
    expect(chosen.placement.details).toEqual({
      threads: { count: 2, why: 'load option' },
      engineDevice: 'onnxruntime-node cpu',
    });
    // The device is the CPU's name, with nothing of this load in it.
    expect(chosen.placement.device).toBe(chosen.device.name);
    expect(chosen.device.details).not.toHaveProperty('intraOpThreads');
    await chosen.dispose();
    const own = await createRuntime({ backends: [createCpuOnnxBackend({ threads: 1 })], env: {} });
    const defaulted = await own.load(fixture.bytes, { task: 'graph' });
    expect(defaulted.placement.details?.threads).toEqual({ count: 1, why: 'backend default' });
    await defaulted.dispose();
  });

  it('rejects unknown or bad backend options with INVALID_OPTION naming the option', async () => {
    const runtime = await createRuntime({
      backends: [createCpuOnnxBackend()],
      env: {},
      policy: 'cpu-only',
    });
    for (const [options, option] of [
      [{ interOp: 2 }, 'backendOptions.cpu-onnxruntime.interOp'],
      [{ executionMode: 'fast' }, 'backendOptions.cpu-onnxruntime.executionMode'],
    ] as const) {
      const error = await runtime
        // Wrong on purpose: the types refuse these too, and so must the backend at run time.
        .load(buildMlp().bytes, { backendOptions: { 'cpu-onnxruntime': options as never } })
        .catch((e: unknown) => e);
      // Refused before the chain starts (checkOptions), not recorded as a failed attempt.
      expect(InvalidOptionError.isInstance(error) && error.option).toBe(option);
    }
    const model = await runtime.load(buildMlp().bytes, {
      backendOptions: { 'cpu-onnxruntime': { executionMode: 'sequential' } },
    });
    expect(model.placement.backend).toBe('cpu-onnxruntime');
    await model.dispose();
  });

  it('turns a truncated .onnx file into MODEL_CORRUPT before any backend runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npu-first-cpu-'));
    const path = join(dir, 'cut.onnx');
    await writeFile(path, truncate(buildMlp().bytes, 0.6));
    const runtime = await createRuntime({ backends: [createCpuOnnxBackend()], env: {} });
    const error = await runtime.load(path).catch((e: unknown) => e);
    expect(NpuFirstError.isInstance(error) && error.toJSON()).toMatchObject({
      code: 'MODEL_CORRUPT',
      model: 'cut.onnx',
    });
  });
});
