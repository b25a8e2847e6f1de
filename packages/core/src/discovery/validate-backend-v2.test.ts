import { describe, expect, it } from 'vitest';
import { MINIMAL_ONNX } from '../chain/__fixtures__/test-backends.js';
import { PluginError } from '../errors/errors.js';
import { addOneSession } from '../lifecycle/__fixtures__/js-sessions.js';
import { createRuntime } from '../runtime/create-runtime.js';
import type { BackendV2 } from '../spec/backend-v2.js';
import { type Tensor, tensor } from '../spec/tensor.js';
import { SUPPORTED_SPECIFICATION_VERSIONS, validateBackend } from './load-plugin.js';

function v2Backend(overrides: Partial<BackendV2> = {}): BackendV2 {
  return {
    specificationVersion: 'v2',
    id: 'cpu-js-v2',
    deviceKind: 'cpu',
    formats: ['onnx'],
    tasks: ['graph'],
    capabilities: { concurrentRuns: false },
    probe: async () => ({ available: true, devices: [{ name: 'JavaScript' }] }),
    load: async () => ({
      task: 'graph',
      session: addOneSession(),
      device: { name: 'JavaScript' },
      details: { threads: { count: 1, why: 'JavaScript' }, note: 'computed in JavaScript' },
    }),
    ...overrides,
  };
}

describe('v2 backends in discovery', () => {
  it('accepts spec v2 beside v1', () => {
    expect(SUPPORTED_SPECIFICATION_VERSIONS).toEqual(['v1', 'v2']);
    expect(validateBackend(v2Backend(), 'test').id).toBe('cpu-js-v2');
    expect(() => validateBackend(v2Backend({ capabilities: 3 as never }), 'test')).toThrow(
      PluginError,
    );
    expect(() => validateBackend({ ...v2Backend(), specificationVersion: 'v3' }, 'test')).toThrow(
      /this runtime supports v1, v2/,
    );
  });

  it('serves a v2 backend through the runtime, its session in core’s lifecycle', async () => {
    const runtime = await createRuntime({ backends: [v2Backend() as never], env: {} });
    const model = await runtime.load(MINIMAL_ONNX, { task: 'graph' });
    expect(model.placement.attempts.find((a) => a.outcome === 'selected')?.reason).toBe(
      'runs on JavaScript: computed in JavaScript',
    );
    if (model.task !== 'graph') throw new Error('expected a graph model');
    const out = await model.run({ x: tensor('float32', Float32Array.from([1, 2, 3]), [1, 3]) });
    expect([...(out.y as Tensor).data]).toEqual([2, 3, 4]);
    await model.dispose();
  });
});
