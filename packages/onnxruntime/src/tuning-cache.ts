import {
  cacheFilePath,
  type ModelDescriptor,
  modelFingerprint,
  readCacheFile,
  writeCacheEntries,
} from '@npu-first/core';
import type { CpuTopology } from './thread-choice.js';

/** What was learnt about one model on one machine. */
export interface TuningEntry {
  readonly intraOpThreads: number;
  /** Median ms per run for each thread count tried. */
  readonly medians: Readonly<Record<string, number>>;
  readonly at: string;
}

const MAX_ENTRIES = 256;

/**
 * The tuning cache file: `$NPU_FIRST_TUNING_CACHE` if set (`off`, `0` or `false` disable the
 * cache), else `$XDG_CACHE_HOME/npu-first/tuning.json`, else `~/.cache/npu-first/tuning.json`.
 * Returns `undefined` when disabled.
 */
export function tuningCachePath(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  return cacheFilePath('NPU_FIRST_TUNING_CACHE', 'tuning.json', env);
}

/**
 * The key of one model on one machine for one backend: the CPU's model and core count, the
 * engine's version, and the model's content (`modelFingerprint`: the same model anywhere on
 * disk, or in memory, is the same model).
 */
export async function tuningKey(
  backendId: string,
  engineVersion: string,
  cpu: CpuTopology,
  model: ModelDescriptor,
): Promise<string> {
  const identity = `content:${await modelFingerprint(model)}`;
  return [backendId, engineVersion, `${cpu.model}/${cpu.logicalCores}`, identity].join('|');
}

/** The entry for `key`, or `undefined` (missing, unreadable or disabled cache: never throws). */
export async function readTuning(
  key: string,
  path: string | undefined = tuningCachePath(),
): Promise<TuningEntry | undefined> {
  if (path === undefined) return undefined;
  const entry = (await readCacheFile(path)).entries[key] as TuningEntry | undefined;
  return entry && Number.isInteger(entry.intraOpThreads) ? entry : undefined;
}

/** Stores `entry` under `key` (keeping the newest {@link MAX_ENTRIES}); written atomically. */
export async function writeTuning(
  key: string,
  entry: TuningEntry,
  path: string | undefined = tuningCachePath(),
): Promise<void> {
  if (path === undefined) return;
  await writeCacheEntries(path, { [key]: entry }, MAX_ENTRIES);
}
