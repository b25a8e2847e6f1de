import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Values of a cache variable that turn the cache off. */
const OFF = ['off', '0', 'false', 'no'];

/**
 * Where a cache file of npu-first lives: `$<envVar>` if set (`off`, `0`, `false`, `no` turn
 * it off: `undefined`), else `$XDG_CACHE_HOME/npu-first/<fileName>`, else
 * `~/.cache/npu-first/<fileName>`.
 */
export function cacheFilePath(
  envVar: string,
  fileName: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const own = env[envVar]?.trim();
  if (own !== undefined && own !== '') return OFF.includes(own.toLowerCase()) ? undefined : own;
  const base = env.XDG_CACHE_HOME?.trim() || join(homedir(), '.cache');
  return join(base, 'npu-first', fileName);
}

/** Files this process has parsed, by path, with the size and modification time they had. */
const parsed = new Map<string, { stamp: string; entries: Record<string, unknown> }>();

/**
 * Reads a JSON object cache. A missing file is an empty cache; a file that cannot be read or
 * parsed is an empty cache too, with `problem` saying why (callers report it, never fail).
 * A file unchanged since this process last read it is not read again. The entries returned
 * are the caller's own copy.
 */
export async function readCacheFile(
  path: string,
): Promise<{ entries: Record<string, unknown>; problem?: string }> {
  const info = await stat(path).catch(() => undefined);
  const stamp = info ? `${info.size}|${info.mtimeMs}|${info.ino}` : '';
  const memo = parsed.get(path);
  if (memo && memo.stamp === stamp) return { entries: { ...memo.entries } };
  const result = await readAndParse(path);
  if (info && result.problem === undefined) parsed.set(path, { stamp, entries: result.entries });
  return { ...result, entries: { ...result.entries } };
}

async function readAndParse(
  path: string,
): Promise<{ entries: Record<string, unknown>; problem?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { entries: {} };
    return { entries: {}, problem: `${path} could not be read (${code ?? String(error)})` };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return { entries: parsed as Record<string, unknown> };
    return { entries: {}, problem: `${path} does not hold a JSON object` };
  } catch {
    return { entries: {}, problem: `${path} is not valid JSON` };
  }
}

/**
 * Adds (or replaces) entries and keeps the newest `maxEntries`; written to a temporary file
 * and renamed, so a reader never sees half a file. Throws when the file cannot be written.
 */
export async function writeCacheEntries(
  path: string,
  updates: Readonly<Record<string, unknown>>,
  maxEntries: number,
): Promise<void> {
  const { entries } = await readCacheFile(path);
  for (const [key, value] of Object.entries(updates)) {
    delete entries[key];
    entries[key] = value;
  }
  const kept = Object.entries(entries).slice(-maxEntries);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(Object.fromEntries(kept), null, 1)}\n`);
  await rename(temp, path);
}
