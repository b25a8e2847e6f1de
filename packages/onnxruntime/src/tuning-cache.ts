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
  const { entries, problem } = await readCacheFile(path);
  if (problem !== undefined) warnOnce(`tuning cache ignored: ${problem}`);
  const entry = entries[key] as TuningEntry | undefined;
  return entry && Number.isInteger(entry.intraOpThreads) ? entry : undefined;
}

const warned = new Set<string>();

/**
 * A Node warning (stderr, and `process.on('warning')` for a host that wants it), once per
 * message: every model load reads the cache, and a load must not fail for it.
 */
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, { code: TUNING_CACHE_WARNING });
}

/** The `code` of the warning a tuning cache that cannot be used raises. */
export const TUNING_CACHE_WARNING = 'NPU_FIRST_TUNING_CACHE';

/**
 * Stores `entry` under `key` (keeping the newest {@link MAX_ENTRIES}); written atomically.
 * Throws, writing nothing, when the path is a directory or a file that is not our cache.
 */
export async function writeTuning(
  key: string,
  entry: TuningEntry,
  path: string | undefined = tuningCachePath(),
): Promise<void> {
  if (path === undefined) return;
  await writeCacheEntries(path, { [key]: entry }, MAX_ENTRIES);
}
