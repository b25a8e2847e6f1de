import { join } from 'node:path';
import { InvalidOptionError } from '@npu-first/core';
import pc from 'picocolors';
import { readWav } from '../../vad/read-wav.js';
import {
  detectSpeech,
  type SpeechSegment,
  sileroModelPath,
  trialWindow,
  VAD_WINDOW,
} from '../../vad/silero-vad.js';
import { formatPlacement } from '../format-placement.js';
import { type Io, printJson } from '../output.js';
import { startProgress } from '../progress.js';
import { cliRuntime, PACKAGE_ROOT } from '../runtime.js';
import { loadOptionsFrom } from './shared-options.js';

export interface VadOptions {
  readonly threshold: string;
  readonly policy?: string;
  readonly threads?: string;
  readonly json?: boolean;
}

/** The bundled recording `npu-first vad` (and `pnpm start`) uses by default. */
export const SAMPLE_AUDIO = join(PACKAGE_ROOT, 'samples', 'speech.wav');

/** `npu-first vad [audio]`: Silero VAD placed by the chain; prints the speech segments. */
export async function vadCommand(
  io: Io,
  audio: string | undefined,
  options: VadOptions,
): Promise<number> {
  const threshold = Number(options.threshold);
  if (!(threshold > 0 && threshold < 1)) {
    throw new InvalidOptionError(
      '--threshold',
      `expected a probability between 0 and 1, got "${options.threshold}"`,
    );
  }
  const loadOptions = loadOptionsFrom(options);
  const path = audio ?? SAMPLE_AUDIO;
  const wav = await readWav(path);
  const runtime = await cliRuntime();
  const t0 = performance.now();
  const model = await runtime.load(sileroModelPath(), {
    ...loadOptions,
    task: 'graph',
    trial: { feeds: trialWindow(wav.samples) },
  });
  const loadMs = performance.now() - t0;
  try {
    const windows = Math.ceil(wav.samples.length / VAD_WINDOW);
    const progress =
      io.interactive && !options.json ? startProgress('Detecting speech', windows) : undefined;
    const result = await detectSpeech(model, wav.samples, {
      threshold,
      ...(progress ? { onProgress: progress.update } : {}),
    });
    progress?.stop();
    const timings = {
      loadMs: round(loadMs),
      inferenceMs: round(result.inferenceMs),
      msPerWindow: round(result.inferenceMs / Math.max(1, result.windows), 4),
    };
    const audioInfo = {
      path,
      durationSec: round(wav.durationSec, 3),
      sampleRate: wav.sampleRate,
      source: wav.source,
    };
    if (options.json) {
      printJson(io, {
        audio: audioInfo,
        segments: result.segments,
        windows: result.windows,
        placement: model.placement,
        timings,
      });
      return 0;
    }
    io.out(
      `${pc.bold('Silero VAD')} on ${path} (${wav.durationSec.toFixed(2)} s, ${wav.source.sampleRate} Hz, ${wav.source.channels} ch)`,
    );
    for (const line of formatPlacement(model.placement)) io.out(line);
    io.out(
      `${pc.bold('Speech')}     ${result.segments.length} segment${result.segments.length === 1 ? '' : 's'}`,
    );
    for (const s of result.segments) {
      io.out(
        `  ${s.startSec.toFixed(2).padStart(7)} s – ${s.endSec.toFixed(2).padStart(7)} s  (${(s.endSec - s.startSec).toFixed(2)} s)`,
      );
    }
    io.out(`  ${timeline(result.segments, wav.durationSec)}`);
    io.out(
      `${pc.bold('Timings')}    load ${timings.loadMs} ms · ${result.windows} windows in ${timings.inferenceMs} ms (${timings.msPerWindow} ms each)`,
    );
    return 0;
  } finally {
    await model.dispose();
  }
}

/** A one-line picture of the recording: █ speech, · silence. */
function timeline(segments: readonly SpeechSegment[], durationSec: number, width = 60): string {
  let line = '';
  for (let i = 0; i < width; i++) {
    const t = ((i + 0.5) / width) * durationSec;
    line += segments.some((s) => t >= s.startSec && t < s.endSec) ? pc.green('█') : pc.dim('·');
  }
  return `${line} ${pc.dim(`0–${durationSec.toFixed(1)} s`)}`;
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
