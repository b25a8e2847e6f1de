import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectModel } from '@npu-first/core';
import { buildConv, buildDynamic, buildMlp, writeFixture } from '@npu-first/testkit';
import { describe, expect, it } from 'vitest';
import { SILERO_PATH } from '../__fixtures__/real-models.js';
import { readOnnxGraphFacts } from './onnx-input-shapes.js';
import { checkStaticShapes } from './static-shapes.js';

describe('readOnnxGraphFacts', () => {
  it('reads inputs, outputs, dtypes and symbolic dims without an engine, from bytes and from a path', async () => {
    const fixture = buildDynamic();
    const fromBytes = await readOnnxGraphFacts(await inspectModel(fixture.bytes));
    const dir = await mkdtemp(join(tmpdir(), 'npu-first-preflight-'));
    const fromPath = await readOnnxGraphFacts(await inspectModel(await writeFixture(fixture, dir)));
    for (const facts of [fromBytes, fromPath]) {
      expect(facts.inputs).toEqual(fixture.inputs);
      expect(facts.outputs).toEqual(fixture.outputs);
      expect(facts.nodeCount).toBe(3);
      expect(Object.fromEntries(facts.opTypes)).toEqual({ Mul: 1, Add: 2 });
    }
  });

  it('agrees with the declared inputs of every testkit fixture', async () => {
    for (const fixture of [buildMlp(), buildConv()]) {
      const facts = await readOnnxGraphFacts(await inspectModel(fixture.bytes));
      expect(facts.inputs).toEqual(fixture.inputs);
    }
  });

  it('reads a real model from disk: Silero VAD has symbolic batch and sequence', async () => {
    const facts = await readOnnxGraphFacts(await inspectModel(SILERO_PATH));
    expect(facts.inputs).toEqual([
      { name: 'input', type: 'float32', shape: ['batch', 'sequence'] },
      { name: 'state', type: 'float32', shape: [2, 'batch', 128] },
      { name: 'sr', type: 'int64', shape: [] },
    ]);
    expect(facts.nodeCount).toBeGreaterThan(20);
  });
});

describe('checkStaticShapes', () => {
  const silero = [
    { name: 'input', type: 'float32', shape: ['batch', 'sequence'] },
    { name: 'state', type: 'float32', shape: [2, 'batch', 128] },
  ] as const;

  it('rejects symbolic dims, naming each, the inputs and the option that pins them', () => {
    const check = checkStaticShapes('npu-coreml', silero, {});
    expect(check).toEqual({
      ok: false,
      reason: `NPUs need static input shapes: symbolic dimensions batch (in "input" [batch, sequence], "state" [2, batch, 128]); sequence (in "input" [batch, sequence]) — pin them with backendOptions: { 'npu-coreml': { shapes: { batch: 1, sequence: N } } } (the sizes you will feed)`,
    });
  });

  it('accepts once every symbolic dim is pinned, keeping only the pins that apply', () => {
    expect(checkStaticShapes('npu-coreml', silero, { batch: 1, sequence: 512, unused: 3 })).toEqual(
      { ok: true, pins: { batch: 1, sequence: 512 } },
    );
  });

  it('cannot pin unnamed dynamic dims or unranked inputs, and says so', () => {
    const check = checkStaticShapes(
      'npu-coreml',
      [
        { name: 'a', type: 'float32', shape: [null, 3] },
        { name: 'b', type: 'float32', shape: null },
      ],
      {},
    );
    expect(check.ok === false && check.reason).toBe(
      'NPUs need static input shapes: unnamed dynamic dimension at "a" axis 0, which no option can pin: re-export the model with static shapes or named dimensions; no declared shape for "b": re-export the model with input shapes',
    );
  });
});
