import { describe, expect, it } from 'vitest';
import { backend, jsBackend, MINIMAL_ONNX } from '../chain/__fixtures__/test-backends.js';
import { InvalidOptionError } from '../errors/errors.js';
import type { BackendV1 as Backend } from '../spec/backend.js';
import { lazyBackend } from '../spec/lazy-backend.js';
import { createRuntime } from './create-runtime.js';

const env = {};
/** A backend that takes `{ tiles?: number }`, and counts its loads. */
function tiled(): Backend & { loads: number } {
  const inner = jsBackend('cpu-tiles', 'cpu');
  const b = {
    ...inner,
    loads: 0,
    checkOptions(options: Readonly<Record<string, unknown>>) {
      for (const [key, value] of Object.entries(options)) {
        if (key !== 'tiles')
          throw new InvalidOptionError(`backendOptions.cpu-tiles.${key}`, 'unknown option');
        if (typeof value !== 'number')
          throw new InvalidOptionError('backendOptions.cpu-tiles.tiles', 'expected a number');
      }
    },
    load: async (...args: Parameters<Backend['load']>) => {
      b.loads++;
      return inner.load(...args);
    },
  };
  return b;
}
const failure = async (p: Promise<unknown>) => {
  const error = await p.catch((e: unknown) => e);
  if (!InvalidOptionError.isInstance(error)) throw error;
  return { option: error.option, reason: error.reason };
};

describe('backendOptions checked before the chain starts', () => {
  it("refuses a typo in a backend's option before any backend loads", async () => {
    const cpu = tiled();
    const runtime = await createRuntime({ env, backends: [cpu, jsBackend('cpu-js', 'cpu', -1)] });
    const typo = failure(
      runtime.load(MINIMAL_ONNX, { backendOptions: { 'cpu-tiles': { tile: 2 } } } as never),
    );
    expect(await typo).toEqual({
      option: 'backendOptions.cpu-tiles.tile',
      reason: 'unknown option',
    });
    expect(cpu.loads).toBe(0);
    // `selection=first`: the first CPU backend serves, whichever a trial would time faster.
    const placed = await runtime.load(MINIMAL_ONNX, {
      backendOptions: { 'cpu-tiles': { tiles: 2 } },
      policy: 'npu-first;selection=first',
    } as never);
    expect(placed.placement.backend).toBe('cpu-tiles');
  });

  it('refuses an id no backend has, suggesting the nearest, but takes a first-party id not installed', async () => {
    const runtime = await createRuntime({ env, backends: [jsBackend('cpu-js', 'cpu')] });
    expect(
      await failure(
        runtime.load(MINIMAL_ONNX, { backendOptions: { 'cpu-onnxruntim': {} } } as never),
      ),
    ).toEqual({
      option: 'backendOptions.cpu-onnxruntim',
      reason:
        'no backend has the id "cpu-onnxruntim" (did you mean cpu-onnxruntime?) (installed: cpu-js)',
    });
    const placed = await runtime.load(MINIMAL_ONNX, {
      backendOptions: { 'npu-openvino': { cacheDir: '/tmp/ov' }, 'gpu-llamacpp-cuda': {} },
    });
    expect(placed.placement.backend).toBe('cpu-js');
  });

  it("reports a plugin checker's plain error as INVALID_OPTION", async () => {
    const odd = backend({
      id: 'cpu-odd',
      deviceKind: 'cpu',
      checkOptions: () => {
        throw new Error('tiles must be even');
      },
    });
    const runtime = await createRuntime({ env, backends: [odd] });
    expect(
      await failure(runtime.load(MINIMAL_ONNX, { backendOptions: { 'cpu-odd': {} } } as never)),
    ).toEqual({ option: 'backendOptions.cpu-odd', reason: 'tiles must be even' });
  });

  it("calls a lazy backend's checker from its descriptor, without importing it", async () => {
    let imports = 0;
    const lazy = lazyBackend(
      {
        specificationVersion: 'v1',
        id: 'cpu-lazy',
        deviceKind: 'cpu',
        formats: ['onnx'],
        tasks: ['graph'],
        checkOptions: (o) => {
          if ('bad' in o)
            throw new InvalidOptionError('backendOptions.cpu-lazy.bad', 'unknown option');
        },
      },
      async () => {
        imports++;
        return jsBackend('cpu-lazy', 'cpu');
      },
    );
    const runtime = await createRuntime({ env, backends: [lazy], probe: 'lazy' });
    const bad = await failure(
      runtime.load(MINIMAL_ONNX, { backendOptions: { 'cpu-lazy': { bad: 1 } } } as never),
    );
    expect(bad.option).toBe('backendOptions.cpu-lazy.bad');
    expect(imports).toBe(0);
  });
});
