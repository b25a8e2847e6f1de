import {
  adaptV1,
  type BackendV1,
  checkRunOptions,
  type Feeds,
  GraphLifecycle,
  type GraphModel,
  type GraphSession,
  type LoadContext,
  type ModelDescriptor,
  openLifecycle,
  type Tensor,
  tensor,
  validateFeeds,
} from '@npu-first/core';
import { buildDynamic, buildMlp, type FixtureModel } from '@npu-first/testkit';
import { describe, expect, it } from 'vitest';
import { openOrtSession } from './create-session.js';
import { loadOrt } from './load-ort.js';
import { loadOrtSession } from './ort-graph-session.js';
import { loadProfiledOrtSession } from './profile-first-run.js';
import { toTensorInfo } from './tensor-info.js';

const DEVICE = { name: 'test CPU' };
const OPTIONS = { executionProviders: ['cpu'], intraOpNumThreads: 1 };
const describeModel = (f: FixtureModel): ModelDescriptor => ({
  format: 'onnx',
  name: `${f.name}.onnx`,
  bytes: f.bytes,
  sizeBytes: f.bytes.length,
});

/** A bare ORT session on the same model: what the lifecycle's outputs are checked against. */
async function bare(model: ModelDescriptor) {
  const ort = await loadOrt();
  const session = await openOrtSession(ort, 'cpu-onnxruntime', model, OPTIONS);
  return {
    inputs: session.inputMetadata.map(toTensorInfo),
    outputs: session.outputMetadata.map(toTensorInfo),
    run: async (feeds: Feeds, options?: { outputs: string[] }) => {
      const wrapped = Object.fromEntries(
        Object.entries(feeds).map(([k, t]) => [
          k,
          new ort.Tensor(t.type, t.data as never, [...t.dims]),
        ]),
      );
      const out = options
        ? await session.run(wrapped, options.outputs)
        : await session.run(wrapped);
      return out as unknown as Record<string, Tensor>;
    },
    dispose: () => session.release(),
  };
}

async function both(fixture: FixtureModel) {
  const model = describeModel(fixture);
  const loaded = await loadOrtSession('cpu-onnxruntime', model, OPTIONS, DEVICE, {
    threadsWhy: 'test',
  });
  if (loaded.task !== 'graph') throw new Error('expected a graph session');
  const lifecycle = new GraphLifecycle(loaded.session, loaded.device, {
    name: model.name,
    backendId: 'cpu-onnxruntime',
    ...(loaded.details ? { details: loaded.details } : {}),
  });
  const v1 = await bare(model);
  return { lifecycle, v1, session: loaded.session };
}

const plain = (out: Record<string, Tensor>) =>
  Object.fromEntries(
    Object.entries(out).map(([k, t]) => [
      k,
      { type: t.type, dims: [...t.dims], data: [...t.data] },
    ]),
  );
const thrown = async (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('GraphLifecycle over OrtGraphSession', () => {
  it('gives the outputs a bare ORT session gives, all of them or the ones asked for', async () => {
    for (const fixture of [buildMlp(), buildDynamic()]) {
      const { lifecycle, v1 } = await both(fixture);
      expect(lifecycle.inputs).toEqual(v1.inputs);
      expect(lifecycle.outputs).toEqual(v1.outputs);
      const feeds = fixture.makeFeeds(7, { batch: 3 });
      expect(plain(await lifecycle.run(feeds))).toEqual(plain(await v1.run(feeds)));
      const last = fixture.outputs.at(-1)?.name as string;
      const some = { outputs: [last] };
      expect(plain(await lifecycle.run(feeds, some))).toEqual(plain(await v1.run(feeds, some)));
      await Promise.all([lifecycle.dispose(), v1.dispose()]);
    }
  });

  it("refuses bad feeds with core's validation errors", async () => {
    const fixture = buildDynamic();
    const { lifecycle, v1 } = await both(fixture);
    const good = fixture.makeFeeds(1, { batch: 2 });
    const bad: Feeds[] = [
      { x: good.x as Tensor },
      { ...good, k: tensor('int32', new Int32Array(2), [2]) },
      { ...good, k: tensor('int64', new BigInt64Array(3), [3]) },
      { ...good, x: tensor('float32', new Float32Array(6), [6]) },
      { ...good, w: tensor('float32', new Float32Array(1), [1]) },
    ];
    for (const feeds of bad) {
      const a = await thrown(lifecycle.run(feeds));
      expect(a).toMatchObject({ code: 'INVALID_INPUT' });
      expect(() => validateFeeds(v1.inputs, feeds)).toThrow((a as Error).message);
    }
    await Promise.all([lifecycle.dispose(), v1.dispose()]);
  });

  it("refuses an unknown output with core's message", async () => {
    const fixture = buildDynamic();
    const { lifecycle, v1 } = await both(fixture);
    const options = { outputs: ['k2'] };
    const error = await thrown(lifecycle.run(fixture.makeFeeds(1), options));
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect(() => checkRunOptions(options, lifecycle.outputs)).toThrow((error as Error).message);
    expect((error as Error).message).toContain('the model\'s outputs are "y", "k1"');
    await Promise.all([lifecycle.dispose(), v1.dispose()]);
  });

  it('reads refilled buffers when a loop passes the same tensors again', async () => {
    const fixture = buildMlp();
    const { lifecycle, v1 } = await both(fixture);
    const feeds = fixture.makeFeeds(1);
    const x = feeds.x as Tensor<'float32'>;
    for (const seed of [2, 3, 4]) {
      x.data.set((fixture.makeFeeds(seed).x as Tensor<'float32'>).data);
      const copy = { x: tensor('float32', Float32Array.from(x.data), [...x.dims]) };
      expect(plain(await lifecycle.run(feeds))).toEqual(plain(await v1.run(copy)));
    }
    await Promise.all([lifecycle.dispose(), v1.dispose()]);
  });

  it('releases the ORT session only after the runs in flight, once', async () => {
    const fixture = buildMlp();
    const loaded = await loadOrtSession('cpu-onnxruntime', describeModel(fixture), OPTIONS, DEVICE);
    if (loaded.task !== 'graph') throw new Error('expected a graph session');
    const { session } = loaded;
    const events: string[] = [];
    const watched: GraphSession<unknown> = {
      inputs: session.inputs,
      outputs: session.outputs,
      prepare: (feeds) => session.prepare?.(feeds),
      run: async (feeds, names, prepared) => {
        const out = await session.run(feeds, names, prepared);
        events.push('ran');
        return out;
      },
      release: async () => {
        events.push('release');
        await session.release();
      },
    };
    const model = new GraphLifecycle(watched, DEVICE, {
      name: 'mlp.onnx',
      backendId: 'cpu-onnxruntime',
    });
    const runs = [1, 2, 3].map((seed) => model.run(fixture.makeFeeds(seed)));
    await Promise.all([model.dispose(), model.dispose()]);
    expect(events).toEqual(['ran', 'ran', 'ran', 'release']);
    expect((await Promise.all(runs)).every((out) => out.y !== undefined)).toBe(true);
    expect(await thrown(model.run(fixture.makeFeeds(1)))).toMatchObject({ code: 'MODEL_DISPOSED' });
  });

  it('reports threads and the engine device as details, the device name untouched', async () => {
    const { lifecycle, v1 } = await both(buildMlp());
    expect(lifecycle.details).toEqual({
      engineDevice: 'onnxruntime-node cpu',
      threads: { count: 1, why: 'test' },
    });
    expect(lifecycle.device).toEqual(DEVICE);
    await Promise.all([lifecycle.dispose(), v1.dispose()]);
  });

  it('types a model ORT cannot parse as MODEL_CORRUPT', async () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    const model = { format: 'onnx' as const, name: 'junk.onnx', bytes, sizeBytes: 5 };
    const error = await thrown(loadOrtSession('cpu-onnxruntime', model, OPTIONS, DEVICE));
    expect(error).toMatchObject({ code: 'MODEL_CORRUPT' });
  });
});

describe('a v1 ORT backend adapted to v2', () => {
  it('gives through the lifecycle what its v1 model gives', async () => {
    const fixture = buildDynamic();
    const v1Backend: BackendV1 = {
      specificationVersion: 'v1',
      id: 'cpu-onnxruntime',
      deviceKind: 'cpu',
      formats: ['onnx'],
      tasks: ['graph'],
      probe: async () => ({ available: true, devices: [DEVICE] }),
      // A v1 model is a GraphModel: here core's lifecycle over the ORT engine session.
      load: async (model) =>
        openLifecycle(await loadOrtSession('cpu-onnxruntime', model, OPTIONS, DEVICE), {
          name: model.name,
          backendId: 'cpu-onnxruntime',
        }),
    };
    const context: LoadContext = {
      options: {},
      backendOptions: undefined,
      probe: { available: true, devices: [DEVICE] },
      signal: new AbortController().signal,
    };
    const direct = (await v1Backend.load(describeModel(fixture), context)) as GraphModel;
    const loaded = await adaptV1(v1Backend).load(describeModel(fixture), context);
    const model = openLifecycle(loaded, { name: 'dynamic.onnx', backendId: 'cpu-onnxruntime' });
    if (model.task !== 'graph') throw new Error('expected a graph model');
    const feeds = fixture.makeFeeds(5, { batch: 4 });
    expect(plain(await model.run(feeds))).toEqual(plain(await direct.run(feeds)));
    expect(plain(await model.run(feeds, { outputs: ['k1'] }))).toEqual(
      plain(await direct.run(feeds, { outputs: ['k1'] })),
    );
    await Promise.all([model.dispose(), direct.dispose()]);
  });
});

describe('loadProfiledOrtSession', () => {
  it('profiles one zero-filled run and returns an engine session that still runs', async () => {
    for (const fixture of [buildMlp(), buildDynamic()]) {
      const model = describeModel(fixture);
      const { session, profile } = await loadProfiledOrtSession('cpu-onnxruntime', model, OPTIONS);
      expect(profile.ok).toBe(true);
      if (!profile.ok) throw new Error(profile.reason);
      const nodes = profile.events.filter(
        (e) =>
          (e as { cat?: string }).cat === 'Node' &&
          (e as { args?: { provider?: string } }).args?.provider,
      );
      expect(nodes.length).toBeGreaterThan(0);
      const lifecycle = new GraphLifecycle(session, DEVICE, {
        name: model.name,
        backendId: 'cpu-onnxruntime',
      });
      const v1 = await bare(model);
      const feeds = fixture.makeFeeds(3, { batch: 2 });
      expect(plain(await lifecycle.run(feeds))).toEqual(plain(await v1.run(feeds)));
      await Promise.all([lifecycle.dispose(), v1.dispose()]);
    }
  });

  it('types a model ORT cannot parse as MODEL_CORRUPT', async () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    const model = { format: 'onnx' as const, name: 'junk.onnx', bytes, sizeBytes: 5 };
    const error = await thrown(loadProfiledOrtSession('cpu-onnxruntime', model, OPTIONS));
    expect(error).toMatchObject({ code: 'MODEL_CORRUPT' });
  });
});
