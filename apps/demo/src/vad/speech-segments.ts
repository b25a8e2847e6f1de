import { InvalidOptionError } from '@npu-first/core';

/** A stretch of speech, in seconds from the start of the audio (3 decimals). */
export interface SpeechSegment {
  startSec: number;
  endSec: number;
}

/** Tuning for {@link segmentSpeech}; the defaults are Silero's. */
export interface SegmentOptions {
  /** Speech starts at a window whose probability is ≥ this. Default 0.5. */
  threshold?: number;
  /** Segments shorter than this are dropped. Default 250. */
  minSpeechMs?: number;
  /** Speech ends after this long below `threshold − 0.15`. Default 100. */
  minSilenceMs?: number;
  /** Padding added to each side, clamped to neighbours and the audio. Default 30. */
  speechPadMs?: number;
}

/** The audio the probabilities came from. */
export interface WindowLayout {
  sampleRate: number;
  /** Samples per probability: window `i` covers samples `[i·windowSize, (i+1)·windowSize)`. */
  windowSize: number;
  totalSamples: number;
}

interface Span {
  start: number;
  end: number;
}

/**
 * Turns per-window speech probabilities into speech segments: hysteresis between
 * `threshold` and `threshold − 0.15`, a minimum silence to close a segment, a minimum
 * speech length to keep one, then padding. Pure; works in samples, returns seconds.
 */
export function segmentSpeech(
  probabilities: ArrayLike<number>,
  options: WindowLayout & SegmentOptions,
): SpeechSegment[] {
  const { sampleRate, windowSize, totalSamples } = options;
  positive('sampleRate', sampleRate);
  positive('windowSize', windowSize);
  nonNegative('totalSamples', totalSamples);
  const threshold = options.threshold ?? 0.5;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new InvalidOptionError('threshold', `must be in (0, 1], got ${threshold}`);
  }
  const toSamples = (name: string, ms: number) => (nonNegative(name, ms) * sampleRate) / 1000;
  const minSpeech = toSamples('minSpeechMs', options.minSpeechMs ?? 250);
  const minSilence = toSamples('minSilenceMs', options.minSilenceMs ?? 100);
  const pad = Math.floor(toSamples('speechPadMs', options.speechPadMs ?? 30));

  const spans = findSpans(probabilities, threshold, Math.max(threshold - 0.15, 0.01), {
    windowSize,
    totalSamples,
    minSilence,
  }).filter((s) => s.end - s.start >= minSpeech);
  padSpans(spans, pad, totalSamples);
  const seconds = (samples: number) => Math.round((samples / sampleRate) * 1000) / 1000;
  return spans.map((s) => ({ startSec: seconds(s.start), endSec: seconds(s.end) }));
}

/** The hysteresis pass: raw spans in samples, before length filtering and padding. */
function findSpans(
  probabilities: ArrayLike<number>,
  threshold: number,
  negThreshold: number,
  {
    windowSize,
    totalSamples,
    minSilence,
  }: { windowSize: number; totalSamples: number; minSilence: number },
): Span[] {
  const spans: Span[] = [];
  let start = -1; // start of the open segment, -1 when none
  let silenceFrom = -1; // where the current run below negThreshold began, -1 when none
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] ?? 0;
    const at = Math.min(i * windowSize, totalSamples);
    if (p >= threshold) {
      silenceFrom = -1;
      if (start < 0) start = at;
    } else if (start >= 0 && p < negThreshold) {
      if (silenceFrom < 0) silenceFrom = at;
      if (at - silenceFrom >= minSilence) {
        spans.push({ start, end: silenceFrom });
        start = -1;
        silenceFrom = -1;
      }
    }
  }
  // Audio ended mid-segment: close it where the silence began, else at the end of the audio.
  if (start >= 0) spans.push({ start, end: silenceFrom >= 0 ? silenceFrom : totalSamples });
  return spans;
}

/** Pads spans in place by `pad` samples; neighbours closer than 2·pad share the gap. */
function padSpans(spans: Span[], pad: number, totalSamples: number): void {
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as Span;
    const next = spans[i + 1];
    if (i === 0) span.start = Math.max(0, span.start - pad);
    if (next) {
      const gap = next.start - span.end;
      const before = Math.min(pad, Math.floor(gap / 2));
      span.end += before;
      next.start -= Math.min(pad, gap - before);
    } else {
      span.end = Math.min(totalSamples, span.end + pad);
    }
  }
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new InvalidOptionError(name, `must be a positive number, got ${value}`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new InvalidOptionError(name, `must be a number ≥ 0, got ${value}`);
  }
  return value;
}
