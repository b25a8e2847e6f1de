import { describe, expect, it } from 'vitest';
import { NpuFirstError } from '../errors/base.js';
import { AllBackendsFailedError, CorruptModelError } from '../errors/errors.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { tensor } from '../spec/tensor.js';
import {
  backend,
  failing,
  hangingLoad,
  jsBackend,
  MINIMAL_ONNX,
  rejecting,
  rejectingInLoad,
  unavailable,
} from './__fixtures__/test-backends.js';

const env = {};

// A plugin's options join the typed map by declaration merging, as the spec documents.
declare module '../spec/backend-options.js' {
  interface BackendOptionsMap {
    'cpu-js': { readonly arena?: boolean };
    other: { readonly a?: number };
  }
}

describe('the fallback chain', () => {
  it('walks NPU, then GPU, then CPU and records why each better tier was passed over', async () => {
    const runtime = await createRuntime({
      env,
      backends: [
        jsBackend('cpu-js', 'cpu'),
        failing('gpu-broken', 'gpu', 'CUDA libraries are missing'),
        unavailable('npu-none', 'npu', 'no NPU device under /sys/class/accel'),
        rejecting('gpu-picky', 'gpu', 'needs static shapes'),
      ],
    });
    const model = await runtime.load(MINIMAL_ONNX, { task: 'graph' });
    const { placement } = model;
    expect(placement.backend).toBe('cpu-js');
    expect(placement.deviceKind).toBe('cpu');
    expect(placement.device).toBe('cpu-js device');
    expect(placement.attempts.map((a) => [a.backend, a.outcome])).toEqual([
      ['npu-none', 'unavailable'],
      ['gpu-broken', 'failed'],
      ['gpu-picky', 'rejected'],
      ['cpu-js', 'selected'],
    ]);
    expect(placement.attempts[0]?.reason).toBe('no NPU device under /sys/class/accel');
    expect(placement.attempts[1]?.reason).toBe('CUDA libraries are missing');
    expect(placement.attempts[2]?.reason).toBe('needs static shapes');
    for (const a of placement.attempts) expect(a.ms).toBeGreaterThanOrEqual(0);
    expect(placement.policy).toEqual({ source: 'default', text: 'npu-first' });
    const out = await model.run({ x: tensor('float32', new Float32Array([1, 2]), [2]) });
    expect(Array.from(out.y?.data as Float32Array)).toEqual([2, 3]);
  });

  it('lists an empty tier as unavailable with the package that would fill it', async () => {
    const runtime = await createRuntime({ env, backends: [jsBackend('cpu-js', 'cpu')] });
    const { placement } = await runtime.load(MINIMAL_ONNX);
    expect(placement.attempts.slice(0, 2)).toMatchObject([
      {
        backend: null,
        deviceKind: 'npu',
        outcome: 'unavailable',
        reason: expect.stringContaining('@npu-first/backend-npu'),
      },
      {
        backend: null,
        deviceKind: 'gpu',
        outcome: 'unavailable',
        reason: expect.stringContaining('@npu-first/backend-gpu'),
      },
    ]);
  });

  it("with selection 'first', stops at the first backend that loads and does not try the rest", async () => {
    let cpuLoads = 0;
    const runtime = await createRuntime({
      env,
      backends: [
        jsBackend('gpu-js', 'gpu'),
        backend({
          id: 'cpu-js',
          deviceKind: 'cpu',
          load: async () => {
            cpuLoads++;
            throw new Error('never');
          },
        }),
      ],
    });
    const { placement } = await runtime.load(MINIMAL_ONNX, { policy: { selection: 'first' } });
    expect(placement.backend).toBe('gpu-js');
    expect(cpuLoads).toBe(0);
    expect(placement.selection).toEqual({ objective: 'first', method: 'first' });
    expect(placement.attempts.map((a) => a.backend)).toEqual([null, 'gpu-js']);
  });

  it('orders backends of one kind by priority', async () => {
    const runtime = await createRuntime({
      env,
      backends: [jsBackend('cpu-low', 'cpu', 1), jsBackend('cpu-high', 'cpu', 5)],
    });
    const { placement } = await runtime.load(MINIMAL_ONNX, { policy: { selection: 'first' } });
    expect(placement.backend).toBe('cpu-high');
    expect(placement.attempts.map((a) => a.backend)).toEqual([null, null, 'cpu-high']);
  });

  it('counts a ModelRejectedError thrown from load() as rejected, not failed', async () => {
    const runtime = await createRuntime({
      env,
      backends: [
        rejectingInLoad('npu-x', 'npu', 'coverage 12% is below 80%'),
        jsBackend('cpu-js', 'cpu'),
      ],
    });
    const { placement } = await runtime.load(MINIMAL_ONNX);
    expect(placement.attempts[0]).toMatchObject({
      backend: 'npu-x',
      outcome: 'rejected',
      reason: 'coverage 12% is below 80%',
      code: 'MODEL_REJECTED',
    });
  });

  it('rejects a model whose format a backend does not take', async () => {
    const runtime = await createRuntime({
      env,
      backends: [
        backend({ id: 'npu-gguf', deviceKind: 'npu', formats: ['gguf'] }),
        jsBackend('cpu-js', 'cpu'),
      ],
    });
    const { placement } = await runtime.load(MINIMAL_ONNX);
    expect(placement.attempts[0]).toMatchObject({
      outcome: 'rejected',
      reason: 'takes gguf models; this is onnx',
    });
  });

  it('rejects a GGUF model on a backend that only serves graphs, with that reason', async () => {
    const gguf = new Uint8Array([0x47, 0x47, 0x55, 0x46, 3, ...new Array(19).fill(0)]);
    const runtime = await createRuntime({
      env,
      backends: [backend({ id: 'cpu-onnx', deviceKind: 'cpu', formats: ['onnx', 'gguf'] })],
    });
    const error = await runtime.load(gguf).catch((e: unknown) => e);
    expect(AllBackendsFailedError.isInstance(error)).toBe(true);
    expect((error as AllBackendsFailedError).attempts[2]).toMatchObject({
      backend: 'cpu-onnx',
      outcome: 'rejected',
      reason: 'serves graph models; this gguf model needs text-generation',
    });
  });

  it('refuses a model of another task than the one asked for', async () => {
    const runtime = await createRuntime({ env, backends: [jsBackend('cpu-js', 'cpu')] });
    const error = await runtime
      .load(MINIMAL_ONNX, { task: 'text-generation' })
      .catch((e: unknown) => e);
    expect(NpuFirstError.isInstance(error) && error.code).toBe('MODEL_FORMAT_UNSUPPORTED');
  });

  it('probes lazily when asked: only backends that can take the model, only once', async () => {
    const probes: string[] = [];
    const counted = (id: string, kind: 'gpu' | 'cpu', formats: ('onnx' | 'gguf')[]) =>
      backend({
        id,
        deviceKind: kind,
        formats,
        probe: async () => {
          probes.push(id);
          return { available: true, devices: [{ name: id }] };
        },
      });
    const backends = [counted('gpu-gguf', 'gpu', ['gguf']), counted('cpu-onnx', 'cpu', ['onnx'])];
    const lazy = await createRuntime({ env, backends, probe: 'lazy' });
    expect(probes).toEqual([]);
    await lazy.load(MINIMAL_ONNX);
    await lazy.load(MINIMAL_ONNX);
    expect(probes).toEqual(['cpu-onnx']);
    await lazy.backends();
    expect(probes.sort()).toEqual(['cpu-onnx', 'gpu-gguf']);
    probes.length = 0;
    await createRuntime({ env, backends });
    expect(probes.sort()).toEqual(['cpu-onnx', 'gpu-gguf']);
  });

  it('bounds a hanging load() by the time-out, aborts it and moves on', async () => {
    let aborted = false;
    const runtime = await createRuntime({
      env,
      backends: [
        hangingLoad('gpu-hang', 'gpu', () => {
          aborted = true;
        }),
        jsBackend('cpu-js', 'cpu'),
      ],
    });
    const { placement } = await runtime.load(MINIMAL_ONNX, { loadTimeoutMs: 50 });
    expect(placement.attempts[1]).toMatchObject({
      backend: 'gpu-hang',
      outcome: 'failed',
      code: 'TIMEOUT',
    });
    expect(placement.attempts[1]?.reason).toContain('did not finish within 50 ms');
    expect(aborted).toBe(true);
    expect(placement.backend).toBe('cpu-js');
  });

  it('disposes a model whose load finished after its time-out', async () => {
    let disposed = false;
    const late = backend({
      id: 'gpu-late',
      deviceKind: 'gpu',
      load: () =>
        new Promise((resolve) =>
          setTimeout(
            () =>
              resolve({
                task: 'graph',
                inputs: [],
                outputs: [],
                device: { name: 'late' },
                run: async () => ({}),
                dispose: async () => {
                  disposed = true;
                },
                [Symbol.asyncDispose]: async () => {},
              }),
            80,
          ),
        ),
    });
    const runtime = await createRuntime({ env, backends: [late, jsBackend('cpu-js', 'cpu')] });
    await runtime.load(MINIMAL_ONNX, { loadTimeoutMs: 20 });
    await new Promise((r) => setTimeout(r, 120));
    expect(disposed).toBe(true);
  });

  it('throws ALL_BACKENDS_FAILED listing every attempt when nothing loads', async () => {
    const runtime = await createRuntime({
      env,
      backends: [
        unavailable('npu-none', 'npu', 'no NPU'),
        failing('cpu-bad', 'cpu', 'out of memory'),
      ],
    });
    const error = await runtime.load(MINIMAL_ONNX).catch((e: unknown) => e);
    expect(AllBackendsFailedError.isInstance(error)).toBe(true);
    const failed = error as AllBackendsFailedError;
    expect(failed.code).toBe('ALL_BACKENDS_FAILED');
    expect(failed.attempts.map((a) => a.outcome)).toEqual(['unavailable', 'unavailable', 'failed']);
    expect(failed.message).toContain('npu-none: unavailable — no NPU');
    expect(failed.message).toContain('cpu-bad: failed — out of memory');
    expect(failed.toJSON()).toMatchObject({
      code: 'ALL_BACKENDS_FAILED',
      attempts: expect.any(Array),
    });
  });

  it('reports MODEL_CORRUPT when every backend that tried found the model corrupt', async () => {
    const corrupt = (id: string, kind: 'gpu' | 'cpu') =>
      backend({
        id,
        deviceKind: kind,
        load: async (m) => {
          throw new CorruptModelError(m.name, 'protobuf parsing failed');
        },
      });
    const runtime = await createRuntime({
      env,
      backends: [corrupt('gpu-a', 'gpu'), corrupt('cpu-a', 'cpu')],
    });
    const error = await runtime.load(MINIMAL_ONNX).catch((e: unknown) => e);
    expect(CorruptModelError.isInstance(error)).toBe(true);
    expect((error as CorruptModelError).reason).toBe('protobuf parsing failed');
    expect((error as CorruptModelError).attempts).toHaveLength(3);
  });

  it('runs the same chain under an explicit order of backend ids and kinds', async () => {
    const runtime = await createRuntime({
      env,
      backends: [
        jsBackend('npu-js', 'npu'),
        jsBackend('gpu-js', 'gpu'),
        jsBackend('cpu-js', 'cpu'),
      ],
    });
    const { placement } = await runtime.load(MINIMAL_ONNX, {
      policy: { order: ['cpu-js', 'npu'], selection: 'first' },
    });
    expect(placement.backend).toBe('cpu-js');
    // npu-js comes after the selected backend so it is never tried; gpu-js is not listed.
    expect(placement.attempts.map((a) => [a.backend, a.outcome])).toEqual([
      ['cpu-js', 'selected'],
      ['gpu-js', 'excluded'],
    ]);
  });

  it('honours cpu-only and says why the NPU and GPU were left out', async () => {
    const runtime = await createRuntime({
      env,
      backends: [jsBackend('npu-js', 'npu'), jsBackend('cpu-js', 'cpu')],
    });
    const { placement } = await runtime.load(MINIMAL_ONNX, { policy: 'cpu-only' });
    expect(placement.backend).toBe('cpu-js');
    expect(placement.attempts.find((a) => a.backend === 'npu-js')).toMatchObject({
      outcome: 'excluded',
      reason: expect.stringContaining('cpu-only'),
    });
  });

  it('include and exclude lists filter backends by id or kind', async () => {
    const runtime = await createRuntime({
      env,
      backends: [
        jsBackend('npu-js', 'npu'),
        jsBackend('gpu-js', 'gpu'),
        jsBackend('cpu-js', 'cpu'),
      ],
    });
    const excluded = await runtime.load(MINIMAL_ONNX, { policy: { exclude: ['npu', 'gpu-js'] } });
    expect(excluded.placement.backend).toBe('cpu-js');
    const included = await runtime.load(MINIMAL_ONNX, { policy: { include: ['gpu'] } });
    expect(included.placement.backend).toBe('gpu-js');
    expect(
      included.placement.attempts
        .filter((a) => a.outcome === 'excluded')
        .map((a) => a.backend)
        .sort(),
    ).toEqual(['cpu-js', 'npu-js']);
  });

  it('lets NPU_FIRST_POLICY override the policy given in code', async () => {
    const runtime = await createRuntime({
      env: { NPU_FIRST_POLICY: 'cpu-only' },
      policy: 'npu-first',
      backends: [jsBackend('npu-js', 'npu'), jsBackend('cpu-js', 'cpu')],
    });
    const { placement } = await runtime.load(MINIMAL_ONNX, { policy: { order: ['npu'] } });
    expect(placement.backend).toBe('cpu-js');
    expect(placement.policy).toEqual({ source: 'env', text: 'cpu-only' });
  });

  it('records a backend id the policy names but that is not installed', async () => {
    const runtime = await createRuntime({ env, backends: [jsBackend('cpu-js', 'cpu')] });
    const { placement } = await runtime.load(MINIMAL_ONNX, { policy: 'npu-coreml,cpu' });
    expect(placement.attempts[0]).toMatchObject({
      backend: 'npu-coreml',
      deviceKind: null,
      outcome: 'unavailable',
    });
  });

  it('rejects unknown load options and bad values with INVALID_OPTION', async () => {
    const runtime = await createRuntime({ env, backends: [jsBackend('cpu-js', 'cpu')] });
    for (const options of [
      { thread: 2 },
      { threads: 0 },
      { contextSize: 8 },
      { task: 'chat' },
      { graphOptimizationLevel: 'max' },
      { policy: 'order=;' },
      { policy: 'fastest=1' },
    ]) {
      const error = await runtime.load(MINIMAL_ONNX, options as never).catch((e: unknown) => e);
      expect(NpuFirstError.isInstance(error) && error.code).toBe('INVALID_OPTION');
    }
  });

  it('passes common options and its own backendOptions to a backend', async () => {
    let seen: unknown;
    const runtime = await createRuntime({
      env,
      backends: [
        backend({
          id: 'cpu-js',
          deviceKind: 'cpu',
          load: async (_m, ctx) => {
            seen = { options: ctx.options, own: ctx.backendOptions };
            return await jsBackend('x', 'cpu').load(_m, ctx);
          },
        }),
      ],
    });
    await runtime.load(MINIMAL_ONNX, {
      threads: 1,
      // Options for a first-party backend this machine lacks are accepted, and not passed on.
      backendOptions: { 'cpu-js': { arena: false }, 'npu-openvino': { cacheDir: '/tmp' } },
    });
    expect(seen).toEqual({ options: { threads: 1 }, own: { arena: false } });
  });
});
