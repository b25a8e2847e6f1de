import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ModelDescriptor } from '@npu-first/core';
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
  const own = env.NPU_FIRST_TUNING_CACHE?.trim();
  if (own !== undefined && own !== '') {
    return ['off', '0', 'false', 'no'].includes(own.toLowerCase()) ? undefined : own;
  }
  const base = env.XDG_CACHE_HOME?.trim() || join(homedir(), '.cache');
  return join(base, 'npu-first', 'tuning.json');
}

/**
 * The key of one model on one machine for one backend: the CPU's model and core count, the
 * engine's version, and the model — by path, size and modification time for files, by a hash
 * of size, head and tail for in-memory bytes (hashing all of a large model costs more than
 * the lookup saves).
 */
export async function tuningKey(
  backendId: string,
  engineVersion: string,
  cpu: CpuTopology,
  model: ModelDescriptor,
): Promise<string> {
  let identity: string;
  if (model.path !== undefined) {
    const info = await stat(model.path);
    identity = `file:${model.path}:${info.size}:${Math.round(info.mtimeMs)}`;
  } else {
    const bytes = model.bytes as Uint8Array;
    // Imported on use: node:crypto costs ~5 ms to load, and file models never need it.
    const { createHash } = await import('node:crypto');
    const edge = 64 * 1024;
    const hash = createHash('sha256')
      .update(String(bytes.byteLength))
      .update(bytes.subarray(0, edge))
      .update(bytes.subarray(Math.max(0, bytes.byteLength - edge)))
      .digest('hex')
      .slice(0, 32);
    identity = `bytes:${hash}`;
  }
  return [backendId, engineVersion, `${cpu.model}/${cpu.logicalCores}`, identity].join('|');
}

async function readAll(path: string): Promise<Record<string, TuningEntry>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, TuningEntry>)
      : {};
  } catch {
    return {};
  }
}

/** The entry for `key`, or `undefined` (missing, unreadable or disabled cache: never throws). */
export async function readTuning(
  key: string,
  path: string | undefined = tuningCachePath(),
): Promise<TuningEntry | undefined> {
  if (path === undefined) return undefined;
  const entry = (await readAll(path))[key];
  return entry && Number.isInteger(entry.intraOpThreads) ? entry : undefined;
}

/** Stores `entry` under `key` (keeping the newest {@link MAX_ENTRIES}); written atomically. */
export async function writeTuning(
  key: string,
  entry: TuningEntry,
  path: string | undefined = tuningCachePath(),
): Promise<void> {
  if (path === undefined) return;
  const all = await readAll(path);
  delete all[key];
  all[key] = entry;
  const kept = Object.entries(all).slice(-MAX_ENTRIES);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(Object.fromEntries(kept), null, 1)}\n`);
  await rename(temp, path);
}
