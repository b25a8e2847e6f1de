import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectModel } from '@npu-first/core';
import { buildMlp, writeFixture } from '@npu-first/testkit/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { calibrateIntraOpThreads, ortVersion } from './calibrate-threads.js';
import { loadOrt } from './load-ort.js';
import { readCpuTopology } from './thread-choice.js';
import { readTuning, tuningKey } from './tuning-cache.js';

const mlp = buildMlp();
let dir: string;
let model: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npu-first-calibrate-'));
  model = await writeFixture(mlp.bytes, dir, 'mlp.onnx');
});

describe('calibrateIntraOpThreads (real ONNX Runtime sessions)', () => {
  it('times each candidate, picks one, and stores it where later loads look it up', async () => {
    const cachePath = join(dir, 'tuning.json');
    const result = await calibrateIntraOpThreads(model, {
      feeds: (inputs) => {
        expect(inputs.map((i) => i.name)).toEqual(['x']);
        return mlp.makeFeeds(1);
      },
      candidates: [1, 2],
      runs: 5,
      cachePath,
    });
    expect(Object.keys(result.medians)).toEqual(['1', '2']);
    for (const ms of Object.values(result.medians)) expect(ms).toBeGreaterThan(0);
    expect([1, 2]).toContain(result.threads);
    expect(result).toMatchObject({ cached: true, cachePath });
    const key = await tuningKey(
      'cpu-onnxruntime',
      ortVersion(await loadOrt()),
      readCpuTopology(),
      await inspectModel(model),
    );
    expect((await readTuning(key, cachePath))?.intraOpThreads).toBe(result.threads);
  });

  it('refuses feeds that do not fit the model, and bad options, with typed errors', async () => {
    const wrong = { x: { type: 'float32' as const, data: new Float32Array(3), dims: [1, 3] } };
    await expect(
      calibrateIntraOpThreads(model, { feeds: wrong, candidates: [1], cachePath: join(dir, 'a') }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', input: 'x' });
    await expect(
      calibrateIntraOpThreads(model, { feeds: mlp.makeFeeds(1), candidates: [0, 2] }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION', option: 'candidates' });
    await expect(
      calibrateIntraOpThreads(join(dir, 'missing.onnx'), { feeds: mlp.makeFeeds(1) }),
    ).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    const gguf = new Uint8Array(64);
    gguf.set([0x47, 0x47, 0x55, 0x46, 3]); // "GGUF", version 3
    await expect(calibrateIntraOpThreads(gguf, { feeds: mlp.makeFeeds(1) })).rejects.toMatchObject({
      code: 'MODEL_FORMAT_UNSUPPORTED',
    });
  });

  it('keeps the measurement when the cache cannot be written, and says why', async () => {
    const blocked = join(model, 'tuning.json'); // under a file: mkdir fails
    const result = await calibrateIntraOpThreads(model, {
      feeds: mlp.makeFeeds(1),
      candidates: [1],
      runs: 3,
      cachePath: blocked,
    });
    expect(result.threads).toBe(1);
    expect(result.cached).toBe(false);
    expect(result.cacheError).toContain(blocked);
    await expect(readFile(blocked)).rejects.toThrow();
  });
});
