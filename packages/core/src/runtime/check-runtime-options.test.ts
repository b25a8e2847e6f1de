import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { jsBackend, MINIMAL_ONNX } from '../chain/__fixtures__/test-backends.js';
import { InvalidOptionError } from '../errors/errors.js';
import { createRuntime, type RuntimeOptions } from './create-runtime.js';

const env = {};
const backends = [jsBackend('cpu-js', 'cpu')];
const option = async (p: Promise<unknown>) => {
  const error = await p.catch((e: unknown) => e);
  return InvalidOptionError.isInstance(error) ? error.option : error;
};

describe('createRuntime options', () => {
  it.each([
    ['loadTimeoutMs', { loadTimeoutMs: -1 }],
    ['loadTimeoutMs', { loadTimeoutMs: 'abc' }],
    ['loadTimeoutMs', { loadTimeoutMs: Number.NaN }],
    ['probeTimeoutMs', { probeTimeoutMs: Number.POSITIVE_INFINITY }],
    ['pluginTimeoutMs', { pluginTimeoutMs: 0 }],
    ['roots', { roots: '/tmp' }],
    ['roots', { roots: [42] }],
    ['plugins', { plugins: 'deny-all' }],
    ['plugins.deny', { plugins: { deny: 'x' } }],
    ['plugins.block', { plugins: { block: ['x'] } }],
    ['discover', { discover: 'yes' }],
    ['backends', { backends: jsBackend('cpu-js', 'cpu') }],
    ['env', { env: 'production' }],
    ['env.NPU_FIRST_POLICY', { env: { NPU_FIRST_POLICY: 1 } }],
    ['probe', { probe: 'later' }],
  ])('refuses a bad %s with INVALID_OPTION naming it', async (name, options) => {
    expect(await option(createRuntime({ backends, env, ...options } as RuntimeOptions))).toBe(name);
    // The same options with the bad one left out make a working runtime.
    const runtime = await createRuntime({ backends, env });
    expect((await runtime.load(MINIMAL_ONNX)).placement.backend).toBe('cpu-js');
  });

  it('refuses options that are not an object', async () => {
    expect(await option(createRuntime('fast' as never))).toBe('options');
  });

  it('names what was passed, strings quoted', async () => {
    const error = await createRuntime({ loadTimeoutMs: 'abc' } as unknown as RuntimeOptions).catch(
      (e: Error) => e.message,
    );
    expect(error).toBe(
      'Invalid option loadTimeoutMs: expected a positive, finite number of milliseconds, got "abc"',
    );
  });
});

describe('load options', () => {
  it('refuses more threads than the machine has logical cores, naming the count', async () => {
    const runtime = await createRuntime({ backends, env });
    const cores = availableParallelism();
    const error = await runtime.load(MINIMAL_ONNX, { threads: cores + 1 }).catch((e: Error) => e);
    expect(InvalidOptionError.isInstance(error) && error.reason).toBe(
      `expected a whole number from 1 to ${cores} (this machine's logical cores), got ${cores + 1}`,
    );
    const placed = await runtime.load(MINIMAL_ONNX, { threads: cores });
    expect(placed.placement.backend).toBe('cpu-js');
  });

  it.each([
    ['loadTimeoutMs', { loadTimeoutMs: 'abc' }],
    ['loadTimeoutMs', { loadTimeoutMs: Number.POSITIVE_INFINITY }],
    ['backendOptions', { backendOptions: [] }],
    ['backendOptions.cpu-js', { backendOptions: { 'cpu-js': 'fast' } }],
    ['trial.runTimeoutMs', { trial: { runTimeoutMs: Number.NaN } }],
    ['trial.dims', { trial: { dims: [1] } }],
  ])('refuses a bad %s', async (name, options) => {
    const runtime = await createRuntime({ backends, env });
    expect(await option(runtime.load(MINIMAL_ONNX, options as never))).toBe(name);
  });
});
