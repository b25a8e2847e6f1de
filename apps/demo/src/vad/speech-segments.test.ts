import { InvalidOptionError } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import { segmentSpeech } from './speech-segments.js';

/** Probabilities from runs of `[probability, windows]`. */
function runs(...parts: [number, number][]): Float32Array {
  return Float32Array.from(parts.flatMap(([p, n]) => Array<number>(n).fill(p)));
}

// 1 kHz, 10-sample windows: one window is 10 ms, so positions read directly in ms.
const layout = (windows: number) => ({
  sampleRate: 1000,
  windowSize: 10,
  totalSamples: windows * 10,
});

describe('segmentSpeech', () => {
  it('finds one segment and pads it by 30 ms', () => {
    const probs = runs([0, 50], [0.9, 50], [0, 50]);
    expect(segmentSpeech(probs, layout(150))).toEqual([{ startSec: 0.47, endSec: 1.03 }]);
  });

  it('returns nothing for silence or no windows', () => {
    expect(segmentSpeech(runs([0.2, 100]), layout(100))).toEqual([]);
    expect(segmentSpeech(new Float32Array(0), layout(0))).toEqual([]);
  });

  it('applies hysteresis: probabilities between threshold − 0.15 and threshold neither start nor end speech', () => {
    const probs = runs([0.4, 20], [0.9, 30], [0.4, 40], [0.9, 30], [0, 30]);
    expect(segmentSpeech(probs, layout(150))).toEqual([{ startSec: 0.17, endSec: 1.23 }]);
    // With threshold 0.3 (end below 0.15), the leading 0.4 run is speech too.
    expect(segmentSpeech(probs, { ...layout(150), threshold: 0.3 })).toEqual([
      { startSec: 0, endSec: 1.23 },
    ]);
  });

  it('ends speech only after minSilenceMs below the lower threshold', () => {
    // 100 ms of silence: the next window is speech again before 100 ms have been seen.
    // 110 ms of silence: the window 100 ms after the silence began is still silent.
    const probs = runs([0.9, 30], [0.1, 10], [0.9, 30], [0.1, 11], [0.9, 30], [0, 20]);
    expect(segmentSpeech(probs, layout(131))).toEqual([
      { startSec: 0, endSec: 0.73 },
      { startSec: 0.78, endSec: 1.14 },
    ]);
    // A longer minimum silence keeps it all one segment.
    expect(segmentSpeech(probs, { ...layout(131), minSilenceMs: 200 })).toEqual([
      { startSec: 0, endSec: 1.14 },
    ]);
  });

  it('drops segments shorter than minSpeechMs, which then bound no padding', () => {
    const probs = runs([0, 10], [0.9, 24], [0, 20], [0.9, 25], [0, 20]);
    expect(segmentSpeech(probs, layout(99))).toEqual([{ startSec: 0.51, endSec: 0.82 }]);
    expect(segmentSpeech(probs, { ...layout(99), minSpeechMs: 240 })).toEqual([
      { startSec: 0.07, endSec: 0.37 },
      { startSec: 0.51, endSec: 0.82 },
    ]);
  });

  it('splits a gap narrower than two pads between its neighbours', () => {
    const probs = runs([0.9, 30], [0, 4], [0.9, 30], [0, 16]);
    expect(segmentSpeech(probs, { ...layout(80), minSilenceMs: 0 })).toEqual([
      { startSec: 0, endSec: 0.32 },
      { startSec: 0.32, endSec: 0.67 },
    ]);
  });

  it('closes a segment still open at the end of the audio, clamped to its length', () => {
    // Speech to the end: the last window is partial (95 samples in all).
    const open = { sampleRate: 1000, windowSize: 10, totalSamples: 95, minSpeechMs: 0 };
    expect(segmentSpeech(runs([0.9, 10]), open)).toEqual([{ startSec: 0, endSec: 0.095 }]);
    // Silence had begun but not lasted minSilenceMs: the segment ends where it began.
    expect(segmentSpeech(runs([0.9, 30], [0, 5]), layout(35))).toEqual([
      { startSec: 0, endSec: 0.33 },
    ]);
  });

  it('uses real Silero window sizes and rounds seconds to 3 decimals', () => {
    const silero = { sampleRate: 16_000, windowSize: 512, totalSamples: 23 * 512 };
    expect(segmentSpeech(runs([0, 3], [0.9, 10], [0, 10]), silero)).toEqual([
      { startSec: 0.066, endSec: 0.446 },
    ]);
    const thirds = { sampleRate: 3, windowSize: 1, totalSamples: 4 };
    const exact = { minSpeechMs: 0, minSilenceMs: 0, speechPadMs: 0 };
    expect(segmentSpeech([0, 0.9, 0.9, 0], { ...thirds, ...exact })).toEqual([
      { startSec: 0.333, endSec: 1 },
    ]);
  });

  it('rejects bad options with InvalidOptionError', () => {
    const probs = runs([0.9, 10]);
    for (const bad of [
      { threshold: 1.5 },
      { threshold: 0 },
      { windowSize: 0 },
      { sampleRate: Number.NaN },
      { minSpeechMs: -1 },
    ]) {
      const call = () => segmentSpeech(probs, { ...layout(10), ...bad });
      expect(call).toThrow(InvalidOptionError);
    }
  });
});
