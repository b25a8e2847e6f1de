import { describe, expect, it } from 'vitest';
import { AllBackendsFailedError, CorruptModelError, InvalidOptionError } from '../errors/errors.js';
import { createRuntime } from '../runtime/create-runtime.js';
import type { BackendV1 as Backend, GraphModel } from '../spec/backend.js';
import { addOneModel, backend, jsBackend, MINIMAL_ONNX } from './__fixtures__/test-backends.js';
import { defaultLoadTimeoutMs } from './load-timeout.js';

const env = {};

/** Holds the event loop, as a plugin's synchronous busy loop would. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

const never = () => new Promise<never>(() => {});

/** Both ways the chain commits: the first backend that loads, and measured selection. */
const POLICIES = [['npu-first;selection=first'], ['npu-first']] as const;

describe('the chain under faulty backends', () => {
  it.each([
    ['accepts() never settles', { accepts: never }, 'gpu-fault accepts() did not finish'],
    ['load() never settles', { load: never }, 'gpu-fault load() did not finish'],
    [
      'accepts() blocks the event loop',
      {
        accepts: () => {
          block(400);
          return { accepted: true as const };
        },
      },
      'gpu-fault accepts() did not finish',
    ],
    [
      'load() blocks the event loop',
      {
        load: async () => {
          block(400);
          return addOneModel('late');
        },
      },
      'gpu-fault load() did not finish',
    ],
  ] as [string, Partial<Backend>, string][])(
    'bounds a backend whose %s by the load time-out and moves on',
    async (_, fault, reason) => {
      const runtime = await createRuntime({
        env,
        backends: [
          backend({ id: 'gpu-fault', deviceKind: 'gpu', ...fault }),
          jsBackend('cpu-js', 'cpu'),
        ],
      });
      const { placement } = await runtime.load(MINIMAL_ONNX, { loadTimeoutMs: 100 });
      expect(placement.backend).toBe('cpu-js');
      const attempt = placement.attempts.find((a) => a.backend === 'gpu-fault');
      expect(attempt).toMatchObject({ outcome: 'failed', code: 'TIMEOUT' });
      expect(attempt?.reason).toContain(`${reason} within 100 ms`);
    },
  );

  it('counts a probe that blocks the event loop past its bound as timed out', async () => {
    const runtime = await createRuntime({
      env,
      probe: 'lazy',
      probeTimeoutMs: 100,
      backends: [
        backend({
          id: 'npu-busy',
          deviceKind: 'npu',
          probe: async () => {
            block(400);
            return { available: true, devices: [{ name: 'busy' }] };
          },
        }),
        jsBackend('cpu-js', 'cpu'),
      ],
    });
    const { placement } = await runtime.load(MINIMAL_ONNX);
    expect(placement.backend).toBe('cpu-js');
    expect(placement.attempts[0]).toMatchObject({
      backend: 'npu-busy',
      outcome: 'unavailable',
      reason: 'probe failed: npu-busy probe() did not finish within 100 ms',
    });
  });

  it('bounds accepts() in a dry run, too', async () => {
    const runtime = await createRuntime({
      env,
      loadTimeoutMs: 100,
      backends: [backend({ id: 'gpu-fault', deviceKind: 'gpu', accepts: never })],
    });
    const { steps } = await runtime.dryRun(MINIMAL_ONNX);
    expect(steps.find((s) => s.backend === 'gpu-fault')).toMatchObject({
      verdict: 'rejected',
      reason: 'gpu-fault accepts() did not finish within 100 ms',
    });
  });

  it.each(POLICIES)(
    '%s: MODEL_CORRUPT when every backend that looked at the model called it corrupt, whatever the others take',
    async (policy) => {
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
        policy,
        backends: [
          // Never looks at an ONNX model: its "rejection" is not a try.
          backend({
            id: 'gpu-gguf',
            deviceKind: 'gpu',
            formats: ['gguf'],
            tasks: ['text-generation'],
          }),
          backend({
            id: 'npu-none',
            deviceKind: 'npu',
            probe: async () => ({ available: false, devices: [], reason: 'no NPU' }),
          }),
          corrupt('gpu-a', 'gpu'),
          corrupt('cpu-a', 'cpu'),
        ],
      });
      const error = await runtime.load(MINIMAL_ONNX).catch((e: unknown) => e);
      expect((error as CorruptModelError).code).toBe('MODEL_CORRUPT');
      expect((error as CorruptModelError).reason).toBe('protobuf parsing failed');
      expect((error as CorruptModelError).attempts?.map((a) => a.backend)).toEqual([
        'npu-none',
        'gpu-a',
        'gpu-gguf',
        'cpu-a',
      ]);
    },
  );

  it.each(POLICIES)(
    '%s: ALL_BACKENDS_FAILED when one backend that tried failed otherwise',
    async (policy) => {
      const runtime = await createRuntime({
        env,
        policy,
        backends: [
          backend({
            id: 'gpu-a',
            deviceKind: 'gpu',
            load: async (m) => {
              throw new CorruptModelError(m.name, 'bad header');
            },
          }),
          backend({
            id: 'cpu-a',
            deviceKind: 'cpu',
            load: async () => {
              throw new Error('out of memory');
            },
          }),
        ],
      });
      const error = await runtime.load(MINIMAL_ONNX).catch((e: unknown) => e);
      expect(AllBackendsFailedError.isInstance(error)).toBe(true);
    },
  );

  it.each([
    ['load()', 'load'],
    ['accepts()', 'accepts'],
  ] as const)(
    'stops the chain when %s says the caller passed an invalid option',
    async (_, where) => {
      let cpuLoads = 0;
      const typo = () => {
        throw new InvalidOptionError('backendOptions.gpu-picky.interOpThread', 'unknown option');
      };
      const runtime = await createRuntime({
        env,
        backends: [
          backend({ id: 'gpu-picky', deviceKind: 'gpu', [where]: typo }),
          backend({
            id: 'cpu-js',
            deviceKind: 'cpu',
            load: async () => {
              cpuLoads++;
              return addOneModel('cpu');
            },
          }),
        ],
      });
      const error = await runtime.load(MINIMAL_ONNX).catch((e: unknown) => e);
      expect((error as InvalidOptionError).code).toBe('INVALID_OPTION');
      expect((error as InvalidOptionError).option).toBe('backendOptions.gpu-picky.interOpThread');
      expect(cpuLoads).toBe(0);
    },
  );

  it('releases the preferred model when a measured alternative says an option is invalid', async () => {
    let disposed = false;
    const preferred = backend({
      id: 'gpu-js',
      deviceKind: 'gpu',
      load: async (): Promise<GraphModel> => ({
        ...addOneModel('gpu'),
        dispose: async () => {
          disposed = true;
        },
      }),
    });
    const picky = backend({
      id: 'cpu-picky',
      deviceKind: 'cpu',
      load: async () => {
        throw new InvalidOptionError('backendOptions.cpu-picky.arena', 'expected a boolean');
      },
    });
    const runtime = await createRuntime({ env, backends: [preferred, picky] });
    const error = await runtime
      .load(MINIMAL_ONNX, { trial: { refresh: true } })
      .catch((e: unknown) => e);
    expect((error as InvalidOptionError).code).toBe('INVALID_OPTION');
    expect(disposed).toBe(true);
  });
});

describe('the default load time-out', () => {
  it('is 30 s for a small model and grows by 0.1 s a megabyte', () => {
    expect(defaultLoadTimeoutMs(0)).toBe(30_000);
    expect(defaultLoadTimeoutMs(2_000_000)).toBe(30_200);
    expect(defaultLoadTimeoutMs(4_000_000_000)).toBe(430_000);
    expect(defaultLoadTimeoutMs(Number.NaN)).toBe(30_000);
  });
});
