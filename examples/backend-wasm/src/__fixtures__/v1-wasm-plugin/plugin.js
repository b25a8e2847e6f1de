// A v1 plugin as third parties wrote them before spec v2: its model carries its own lifecycle
// (feed validation, output checks, in-flight count, drain, dispose). Plain JavaScript on the
// published v1 API of @npu-first/core, over the same onnxruntime-web session as the example.
import { readFile } from 'node:fs/promises';
import {
  InvalidOptionError,
  ModelDisposedError,
  RunFailedError,
  validateFeeds,
} from '@npu-first/core';

const DEVICE = { name: 'WebAssembly (v1 fixture)' };

const infoOf = (meta) => ({
  name: meta.name,
  type: meta.type,
  shape: meta.shape.map((d) => ((typeof d === 'number' && d < 0) || d === '' ? null : d)),
});

function graphModel(ort, session, name) {
  const inputs = session.inputMetadata.map(infoOf);
  const outputs = session.outputMetadata.map(infoOf);
  let inFlight = 0;
  let drained;
  let disposing;
  const model = {
    task: 'graph',
    inputs,
    outputs,
    device: DEVICE,
    placementNote: 'a v1 plugin',
    async run(feeds, options) {
      if (disposing) throw new ModelDisposedError(name);
      validateFeeds(inputs, feeds);
      for (const out of options?.outputs ?? [])
        if (!session.outputNames.includes(out))
          throw new InvalidOptionError('outputs', `"${out}" is not an output`);
      const webFeeds = {};
      for (const [input, t] of Object.entries(feeds))
        webFeeds[input] = new ort.Tensor(t.type, t.data, t.dims);
      inFlight++;
      try {
        return options?.outputs
          ? await session.run(webFeeds, [...options.outputs])
          : await session.run(webFeeds);
      } catch (error) {
        throw new RunFailedError('cpu-fixture-v1-wasm', String(error), { cause: error });
      } finally {
        if (--inFlight === 0) drained?.();
      }
    },
    dispose() {
      disposing ??= (async () => {
        if (inFlight > 0) await new Promise((resolve) => (drained = resolve));
        await session.release();
      })();
      return disposing;
    },
    [Symbol.asyncDispose]: () => model.dispose(),
  };
  return model;
}

export default {
  specificationVersion: 'v1',
  createBackends: () => [
    {
      specificationVersion: 'v1',
      id: 'cpu-fixture-v1-wasm',
      deviceKind: 'cpu',
      priority: -20,
      formats: ['onnx'],
      tasks: ['graph'],
      probe: async () => ({ available: true, devices: [DEVICE] }),
      async load(model) {
        const ort = await import('onnxruntime-web');
        const bytes = model.bytes ?? new Uint8Array(await readFile(model.path));
        const session = await ort.InferenceSession.create(bytes, {
          executionProviders: ['wasm'],
        });
        return graphModel(ort, session, model.name);
      },
    },
  ],
};
