import { describe, expect, it } from 'vitest';
import { MINIMAL_ONNX } from '../chain/__fixtures__/test-backends.js';
import { InvalidInputError, ModelDisposedError } from '../errors/errors.js';
import { addOneSession } from '../lifecycle/__fixtures__/js-sessions.js';
import { v1Backend } from '../spec/__fixtures__/v1-plugin.js';
import { defineBackendPlugin } from '../spec/backend.js';
import type { BackendV2, PlacementDetails } from '../spec/backend-v2.js';
import { type Tensor, tensor } from '../spec/tensor.js';
import { createRuntime } from './create-runtime.js';

/** An empty but well-formed GGUF v3 file: magic, version, no tensors, no metadata. */
const EMPTY_GGUF = new Uint8Array([
  0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);
const x = () => ({ x: tensor('float32', Float32Array.from([1, 2, 3]), [1, 3]) });
const values = (out: Record<string, Tensor>) =>
  Object.fromEntries(Object.entries(out).map(([name, t]) => [name, [...t.data]]));

const DETAILS: PlacementDetails = {
  coverage: { onDevice: 2, total: 3, unit: 'nodes', note: '2/3 nodes in JavaScript' },
  threads: { count: 1, why: 'JavaScript has one' },
  engineDevice: 'V8',
  note: 'computed in JavaScript',
  heapMiB: 12,
};

function v2Backend(): BackendV2 {
  return {
    specificationVersion: 'v2',
    id: 'cpu-js-v2',
    deviceKind: 'cpu',
    formats: ['onnx'],
    tasks: ['graph'],
    probe: async () => ({ available: true, devices: [{ name: 'JavaScript' }] }),
    load: async () => ({
      task: 'graph',
      session: addOneSession(),
      device: { name: 'JavaScript' },
      details: DETAILS,
    }),
  };
}

describe('backends of either spec version, through the runtime', () => {
  it("gives a v2 backend's details to the user as model.placement.details", async () => {
    const runtime = await createRuntime({ backends: [v2Backend()], env: {} });
    const model = await runtime.load(MINIMAL_ONNX, { task: 'graph' });
    expect(model.placement.details).toEqual(DETAILS);
    // The device is a name again; what the backend learnt is beside it.
    expect(model.placement.device).toBe('JavaScript');
    expect(model.placement.attempts.find((a) => a.outcome === 'selected')?.reason).toBe(
      'runs on JavaScript: 2/3 nodes in JavaScript; computed in JavaScript',
    );
    expect(values(await model.run(x(), { outputs: ['z'] }))).toEqual({ z: [2, 4, 6] });
    await model.dispose();
  });

  it('loads and runs a plugin built only on the v1 API, unchanged', async () => {
    const plugin = defineBackendPlugin({
      specificationVersion: 'v1',
      createBackends: () => [v1Backend()],
    });
    const runtime = await createRuntime({ backends: [plugin], env: {} });
    const model = await runtime.load(MINIMAL_ONNX, { task: 'graph' });
    expect(model.placement).toMatchObject({
      backend: 'cpu-js-v1',
      device: 'JavaScript (v1)',
      // Its placementNote, as a v1 model reports it, is the details' note.
      details: { note: 'all of it in JavaScript' },
    });
    expect(values(await model.run(x()))).toEqual({ y: [2, 3, 4], z: [2, 4, 6] });
    expect(values(await model.run(x(), { outputs: ['y'] }))).toEqual({ y: [2, 3, 4] });
    const bad = await model.run({ x: tensor('int32', Int32Array.from([1]), [1]) }).catch((e) => e);
    expect(InvalidInputError.isInstance(bad)).toBe(true);
    await model.dispose();
    await model.dispose();
    expect(ModelDisposedError.isInstance(await model.run(x()).catch((e) => e))).toBe(true);

    const generator = await runtime.load(EMPTY_GGUF, { task: 'text-generation' });
    expect(generator.placement.details).toEqual({});
    const chunks: string[] = [];
    const stream = generator.stream('count', { maxTokens: 3 });
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.join('')).toBe('1 2 3');
    expect((await stream.result).stats).toMatchObject({ promptTokens: 7, generatedTokens: 3 });
    await generator.dispose();
  });
});
