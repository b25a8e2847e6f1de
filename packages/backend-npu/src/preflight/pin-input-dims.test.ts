import { readFile } from 'node:fs/promises';
import { inspectModel } from '@npu-first/core';
import { loadOrt } from '@npu-first/onnxruntime';
import { buildDynamic } from '@npu-first/testkit';
import { describe, expect, it } from 'vitest';
import { SILERO_PATH } from '../__fixtures__/real-models.js';
import { readOnnxGraphFacts } from './onnx-input-shapes.js';
import { pinInputDims } from './pin-input-dims.js';

const ort = await loadOrt();
const fixture = buildDynamic();
const feedsAt = (batch: number) => {
  const f = fixture.makeFeeds(1, { batch });
  return {
    x: new ort.Tensor('float32', f.x?.data as Float32Array, f.x?.dims),
    k: new ort.Tensor('int64', f.k?.data as BigInt64Array, f.k?.dims),
  };
};

describe('shapes: pinning symbolic dims changes what an ONNX Runtime session accepts', () => {
  it('measured: onnxruntime-node 1.30 ignores freeDimensionOverrides', async () => {
    const session = await ort.InferenceSession.create(fixture.bytes, {
      executionProviders: ['cpu'],
      freeDimensionOverrides: { batch: 1 },
    });
    expect(session.inputMetadata[0]).toMatchObject({ shape: ['batch', 3] });
    await expect(session.run(feedsAt(4))).resolves.toBeDefined();
    await session.release();
  });

  it('a pinned model declares the size, runs it, and refuses any other', async () => {
    const open = await ort.InferenceSession.create(fixture.bytes, { executionProviders: ['cpu'] });
    await expect(open.run(feedsAt(4))).resolves.toBeDefined();
    await open.release();

    const pinned = pinInputDims(fixture.bytes, { batch: 1 });
    const session = await ort.InferenceSession.create(pinned, { executionProviders: ['cpu'] });
    expect(session.inputMetadata.map((m) => (m.isTensor ? m.shape : null))).toEqual([[1, 3], [1]]);
    const out = await session.run(feedsAt(1));
    expect(out.y?.dims).toEqual([1, 3]);
    await expect(session.run(feedsAt(4))).rejects.toThrow(/index: 0 Got: 4 Expected: 1/);
    await session.release();
    const facts = await readOnnxGraphFacts(await inspectModel(pinned));
    expect(facts.inputs.map((i) => i.shape)).toEqual([[1, 3], [1]]);
  });

  it('pins a real model (Silero VAD) to { batch: 1, sequence: 512 } and it still runs', async () => {
    const bytes = new Uint8Array(await readFile(SILERO_PATH));
    const pinned = pinInputDims(bytes, { batch: 1, sequence: 512 });
    expect(pinned.length).toBeLessThan(bytes.length + 64);
    const session = await ort.InferenceSession.create(pinned, { executionProviders: ['cpu'] });
    expect(session.inputMetadata.map((m) => (m.isTensor ? m.shape : null))).toEqual([
      [1, 512],
      [2, 1, 128],
      [],
    ]);
    const out = await session.run({
      input: new ort.Tensor('float32', new Float32Array(512), [1, 512]),
      state: new ort.Tensor('float32', new Float32Array(256), [2, 1, 128]),
      sr: new ort.Tensor('int64', BigInt64Array.of(16000n), []),
    });
    expect(out.output?.dims).toEqual([1, 1]);
    await session.release();
  });

  it('leaves a model without matching dims byte for byte as it was', () => {
    expect(pinInputDims(fixture.bytes, { sequence: 8 })).toEqual(fixture.bytes);
  });
});
