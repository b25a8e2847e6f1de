import { describe, expect, it } from 'vitest';
import { thrown } from '../__fixtures__/thrown.js';
import { InvalidInputError, InvalidOptionError, ModelDisposedError } from '../errors/errors.js';
import type { GenerationLifecycle } from '../lifecycle/generation-lifecycle.js';
import { openLifecycle } from '../lifecycle/open-lifecycle.js';
import { v1Backend } from './__fixtures__/v1-plugin.js';
import type { GraphModel, LoadContext, ModelDescriptor } from './backend.js';
import { type Feeds, type Tensor, tensor } from './tensor.js';
import type { TextGenerator } from './text-generation.js';
import { adaptV1, isBackendV2 } from './v1-adapter.js';

const ONNX: ModelDescriptor = {
  format: 'onnx',
  name: 'm.onnx',
  bytes: new Uint8Array(4),
  sizeBytes: 4,
};
const GGUF: ModelDescriptor = {
  format: 'gguf',
  name: 'm.gguf',
  bytes: new Uint8Array(4),
  sizeBytes: 4,
};
const CONTEXT: LoadContext = {
  options: {},
  backendOptions: undefined,
  probe: { available: true, devices: [] },
  signal: new AbortController().signal,
};
const feeds = (): Feeds => ({
  x: tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]),
});
const data = (out: Record<string, Tensor>) =>
  Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { data: [...t.data], dims: t.dims }]));

describe('adaptV1', () => {
  it('keeps the identity, probe and checks of the v1 backend', async () => {
    const log = { probes: 0, checks: 0 };
    const v1 = v1Backend(log);
    const v2 = adaptV1(v1);
    expect(isBackendV2(v2)).toBe(true);
    expect(isBackendV2(v1)).toBe(false);
    const { specificationVersion: _, load: __, probe: ___, checkOptions: ____, ...identity } = v1;
    expect(v2).toMatchObject(identity);
    expect(await v2.probe()).toEqual(await v1.probe());
    expect(() => v2.checkOptions?.({ bad: 1 })).toThrow(InvalidOptionError);
    expect(log).toEqual({ probes: 2, checks: 1 });
    expect(v2.accepts).toBeUndefined();
  });

  it('serves a v1 graph model through the lifecycle with identical results and errors', async () => {
    const direct = (await v1Backend().load(ONNX, CONTEXT)) as GraphModel;
    const loaded = await adaptV1(v1Backend()).load(ONNX, CONTEXT);
    expect(loaded).toMatchObject({
      task: 'graph',
      device: direct.device,
      details: { note: 'all of it in JavaScript' },
    });
    const model = openLifecycle(loaded, { name: 'm.onnx', backendId: 'cpu-js-v1' }) as GraphModel;
    expect(model.placementNote).toBe(direct.placementNote);
    expect(model.inputs).toEqual(direct.inputs);
    expect(data(await model.run(feeds()))).toEqual(data(await direct.run(feeds())));
    const some = { outputs: ['z'] };
    expect(data(await model.run(feeds(), some))).toEqual(data(await direct.run(feeds(), some)));
    const bad = { x: tensor('float32', new Float32Array(3), [3]) };
    const [viaCore, viaV1] = [await thrown(model.run(bad)), await thrown(direct.run(bad))];
    expect(InvalidInputError.isInstance(viaCore)).toBe(true);
    expect((viaCore as Error).message).toBe((viaV1 as Error).message);
    const running = model.run(feeds());
    await model.dispose();
    expect(data(await running).y?.data).toEqual([2, 3, 4, 5, 6, 7]);
    expect(ModelDisposedError.isInstance(await thrown(model.run(feeds())))).toBe(true);
  });

  it('serves a v1 text generator with its own text and counts, and its abort', async () => {
    const direct = (await v1Backend().load(GGUF, CONTEXT)) as TextGenerator;
    const loaded = await adaptV1(v1Backend()).load(GGUF, CONTEXT);
    const model = openLifecycle(loaded, {
      name: 'm.gguf',
      backendId: 'cpu-js-v1',
    }) as TextGenerator;
    expect(model.contextSize).toBe(direct.contextSize);
    const [a, b] = [
      await model.generate('go', { maxTokens: 4 }),
      await direct.generate('go', { maxTokens: 4 }),
    ];
    expect(a.text).toBe(b.text);
    expect(a.stats).toMatchObject({
      promptTokens: 7,
      generatedTokens: 4,
      stopReason: 'max-tokens',
    });
    const chunks: string[] = [];
    const stream = model.stream('go', { maxTokens: 3 });
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toEqual(['1', ' 2', ' 3']);
    const aborted = await thrown(
      model.generate('go', { maxTokens: 9, signal: AbortSignal.abort() }),
    );
    expect(aborted).toMatchObject({ code: 'GENERATION_ABORTED' });
    // Mid-generation: the v1 generator's own error, with its own counts, reaches the caller.
    const controller = new AbortController();
    setImmediate(() => controller.abort());
    const stopped = await thrown(
      model.generate('go', { maxTokens: 50, signal: controller.signal }),
    );
    expect(stopped).toMatchObject({ code: 'GENERATION_ABORTED' });
    const { text, generatedTokens } = stopped as { text: string; generatedTokens: number };
    expect(generatedTokens).toBeLessThan(50);
    expect(text.split(' ').filter((w) => w !== '')).toHaveLength(generatedTokens);
    await model.dispose();
    expect(ModelDisposedError.isInstance(await thrown(model.generate('go')))).toBe(true);
  });

  it("forwards a v1 generator's embed, with the signal; without one, EMBEDDING_UNSUPPORTED", async () => {
    const open = async (backend: ReturnType<typeof v1Backend>) =>
      openLifecycle(await adaptV1(backend).load(GGUF, CONTEXT), {
        name: 'm.gguf',
        backendId: 'cpu-js-v1',
      }) as GenerationLifecycle;
    const plain = await open(v1Backend());
    expect(await thrown(plain.embed('go'))).toMatchObject({ code: 'EMBEDDING_UNSUPPORTED' });
    const signals: unknown[] = [];
    const base = v1Backend();
    const embedding = await open({
      ...base,
      load: async (model, context) =>
        Object.assign((await base.load(model, context)) as TextGenerator, {
          // A v1 generator that embeds: each text's length, one token per character.
          embed: async (input: string | readonly string[], options?: { signal?: AbortSignal }) => {
            signals.push(options?.signal);
            const texts = typeof input === 'string' ? [input] : input;
            return {
              vectors: texts.map((t) => Float32Array.of(t.length)),
              promptTokens: texts.join('').length,
              totalMs: 0,
            };
          },
        }),
    });
    const { vectors, promptTokens } = await embedding.embed(['ab', 'cde']);
    expect(vectors).toEqual([Float32Array.of(2), Float32Array.of(3)]);
    expect(promptTokens).toBe(5);
    expect(signals[0]).toBeInstanceOf(AbortSignal);
  });
});
