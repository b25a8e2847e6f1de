import {
  type Feeds,
  InvalidOptionError,
  inspectModel,
  median,
  messageOf,
  type Tensor,
  type TensorInfo,
  UnsupportedFormatError,
  validateFeeds,
} from '@npu-first/core';
import type { InferenceSession } from 'onnxruntime-node';
import { openOrtSession } from './create-session.js';
import { loadOrt, type Ort } from './load-ort.js';
import { toTensorInfo } from './tensor-info.js';
import { type CpuTopology, readCpuTopology } from './thread-choice.js';
import { tuningCachePath, tuningKey, writeTuning } from './tuning-cache.js';

export interface CalibrateOptions {
  /** The backend whose loads should use the result. Default `cpu-onnxruntime`. */
  readonly backendId?: string;
  /**
   * Representative inputs — the shapes the application really runs — or a function that
   * builds them from the model's declared inputs.
   */
  readonly feeds: Feeds | ((inputs: readonly TensorInfo[]) => Feeds | Promise<Feeds>);
  /** Thread counts to try (whole numbers ≥ 1). Default 1 … logical cores. */
  readonly candidates?: readonly number[];
  /** Timed runs per candidate and round (3 rounds, alternating). Default: about 60 ms worth, 3 to 200. */
  readonly runs?: number;
  /** The tuning cache file; default {@link tuningCachePath}() (`undefined` there: not written). */
  readonly cachePath?: string;
  readonly cpu?: CpuTopology;
}

export interface Calibration {
  readonly threads: number;
  /** Median ms per run for each thread count tried. */
  readonly medians: Readonly<Record<string, number>>;
  /** Whether the result was stored in the tuning cache (later loads then use it). */
  readonly cached: boolean;
  /** The tuning cache file written, when `cached`. */
  readonly cachePath?: string;
  /** Why the result could not be stored, when the cache was on but writing it failed. */
  readonly cacheError?: string;
}

const BACKEND = 'cpu-onnxruntime';

/**
 * Finds the intra-op thread count that runs this model fastest on this machine with the
 * application's own inputs: one CPU session per candidate, timed in alternating rounds (each
 * block of runs after one untimed run: the first run after switching sessions is slow), the
 * fewest threads within 2 % of the fastest chosen. Stores the result in the tuning cache, so
 * every later load of this model on this machine (in any process) uses it by default.
 * Errors are typed: `MODEL_NOT_FOUND`/`MODEL_CORRUPT`, `INVALID_INPUT` for feeds that do not
 * fit the model, `INVALID_OPTION` for bad candidates or runs.
 */
export async function calibrateIntraOpThreads(
  model: string | Uint8Array,
  options: CalibrateOptions,
): Promise<Calibration> {
  const cpu = options.cpu ?? readCpuTopology();
  const candidates =
    options.candidates ?? Array.from({ length: cpu.logicalCores }, (_, i) => i + 1);
  if (
    candidates.length === 0 ||
    !candidates.every((t) => Number.isInteger(t) && t >= 1 && t <= 1024)
  ) {
    throw new InvalidOptionError(
      'candidates',
      `expected thread counts (whole numbers from 1), got ${JSON.stringify(candidates)}`,
    );
  }
  if (options.runs !== undefined && !(Number.isInteger(options.runs) && options.runs >= 1)) {
    throw new InvalidOptionError('runs', `expected a whole number ≥ 1, got ${options.runs}`);
  }
  const descriptor = await inspectModel(model);
  if (descriptor.format !== 'onnx') {
    throw new UnsupportedFormatError(
      descriptor.name,
      `thread calibration times ONNX models; this is ${descriptor.format} (for GGUF, pass \`threads\` to load())`,
    );
  }
  const ort = await loadOrt();
  const sessions: { threads: number; session: InferenceSession; times: number[] }[] = [];
  try {
    for (const threads of new Set(candidates)) {
      const session = await openOrtSession(ort, options.backendId ?? BACKEND, descriptor, {
        executionProviders: ['cpu'],
        logSeverityLevel: 3,
        intraOpNumThreads: threads,
      });
      sessions.push({ threads, session, times: [] });
    }
    const inputs = (sessions[0] as (typeof sessions)[number]).session.inputMetadata.map(
      toTensorInfo,
    );
    const given = typeof options.feeds === 'function' ? await options.feeds(inputs) : options.feeds;
    validateFeeds(inputs, given);
    const feeds = toOrtFeeds(ort, given);
    let runs = options.runs;
    for (const s of sessions) {
      const t0 = performance.now();
      await s.session.run(feeds); // warm-up, and a first estimate of a run's cost
      runs ??= Math.max(3, Math.min(200, Math.round(60 / Math.max(0.01, performance.now() - t0))));
    }
    for (let round = 0; round < 3; round++) {
      const order = round % 2 === 0 ? sessions : [...sessions].reverse();
      for (const s of order) {
        await s.session.run(feeds); // untimed: pays for the switch from the previous session
        for (let i = 0; i < (runs ?? 3); i++) {
          const t0 = performance.now();
          await s.session.run(feeds);
          s.times.push(performance.now() - t0);
        }
      }
    }
  } finally {
    for (const s of sessions) await s.session.release();
  }
  const medians = Object.fromEntries(sessions.map((s) => [String(s.threads), median(s.times)]));
  const threads = pickThreads(medians);
  const path = options.cachePath ?? tuningCachePath();
  if (path === undefined) return { threads, medians, cached: false };
  try {
    const key = await tuningKey(options.backendId ?? BACKEND, ortVersion(ort), cpu, descriptor);
    await writeTuning(
      key,
      { intraOpThreads: threads, medians, at: new Date().toISOString() },
      path,
    );
    return { threads, medians, cached: true, cachePath: path };
  } catch (error) {
    // The measurement stands even when the cache cannot be written (read-only home, …).
    return { threads, medians, cached: false, cacheError: `${path}: ${messageOf(error)}` };
  }
}

/** The fewest threads whose median is within `tolerance` of the fastest. */
export function pickThreads(medians: Readonly<Record<string, number>>, tolerance = 0.02): number {
  const entries = Object.entries(medians)
    .map(([t, ms]) => [Number(t), ms] as const)
    .filter(([t, ms]) => Number.isInteger(t) && t >= 1 && Number.isFinite(ms))
    .sort((a, b) => a[0] - b[0]);
  if (entries.length === 0) throw new RangeError('no thread counts were measured');
  const best = Math.min(...entries.map(([, ms]) => ms));
  return (entries.find(([, ms]) => ms <= best * (1 + tolerance)) as readonly [number, number])[0];
}

/** The onnxruntime-node version, part of the tuning key. */
export function ortVersion(ort: Ort): string {
  const versions = (ort.env as { versions?: Record<string, string> }).versions;
  return versions?.node ?? versions?.common ?? 'unknown';
}

function toOrtFeeds(ort: Ort, feeds: Feeds): Record<string, InstanceType<Ort['Tensor']>> {
  const out: Record<string, InstanceType<Ort['Tensor']>> = {};
  for (const [name, t] of Object.entries(feeds) as [string, Tensor][]) {
    out[name] =
      t instanceof ort.Tensor ? t : new ort.Tensor(t.type as 'float32', t.data as never, t.dims);
  }
  return out;
}
