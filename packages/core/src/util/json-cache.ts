import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { InvalidOptionError } from '../errors/errors.js';

/** Values of a cache variable that turn the cache off. */
const OFF = ['off', '0', 'false', 'no'];

/**
 * The key that marks a file as one of our caches. A file without it is only overwritten when
 * it is empty or holds the unmarked entries older versions wrote — never a file of the user's
 * that a cache variable happens to name.
 */
export const CACHE_MARKER = 'npu-first-cache';
const CACHE_VERSION = 1;

/** Which variable chose a path, so that a message can name what to change. */
const chosenBy = new Map<string, string>();

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
  if (own !== undefined && own !== '') {
    if (OFF.includes(own.toLowerCase())) return undefined;
    chosenBy.set(own, envVar);
    return own;
  }
  const base = env.XDG_CACHE_HOME?.trim() || join(homedir(), '.cache');
  return join(base, 'npu-first', fileName);
}

/** What a read found: the entries, and why the file was ignored, if it was. */
interface ReadResult {
  entries: Record<string, unknown>;
  problem?: string;
  /** Why the path holds something that is not our cache (writing would destroy it). */
  foreign?: string;
}

/** Files this process has parsed, by path, with the size and modification time they had. */
const parsed = new Map<string, { stamp: string; entries: Record<string, unknown> }>();

/**
 * Reads a JSON object cache. A missing file is an empty cache; a file that cannot be read or
 * parsed, or that is not one of our caches, is an empty cache too, with `problem` saying why
 * (callers report it, never fail). A file unchanged since this process last read it is not
 * read again. The entries returned are the caller's own copy.
 */
export async function readCacheFile(
  path: string,
): Promise<{ entries: Record<string, unknown>; problem?: string }> {
  const { entries, problem } = await readCache(path);
  return problem === undefined ? { entries } : { entries, problem };
}

async function readCache(path: string): Promise<ReadResult> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return refused(path, isDirectory(path));
  const stamp = info ? `${info.size}|${info.mtimeMs}|${info.ino}` : '';
  const memo = parsed.get(path);
  if (memo && memo.stamp === stamp) return { entries: { ...memo.entries } };
  const result = await readAndParse(path);
  if (info && result.problem === undefined) parsed.set(path, { stamp, entries: result.entries });
  return { ...result, entries: { ...result.entries } };
}

async function readAndParse(path: string): Promise<ReadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { entries: {} };
    // What cannot be read cannot be known to be ours: not overwritten either.
    return refused(path, `could not be read (${code ?? String(error)}): ${fix(path)}`);
  }
  if (text.trim() === '') return { entries: {} }; // nothing in it to lose
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refused(path, notOurs(path, 'it is not JSON'));
  }
  const entries = cacheEntries(json);
  return entries ? { entries } : refused(path, notOurs(path, 'it is JSON without our marker'));
}

/** The entries of our cache file's content, or `undefined` when the content is not ours. */
function cacheEntries(json: unknown): Record<string, unknown> | undefined {
  if (!isRecord(json)) return undefined;
  if (json[CACHE_MARKER] === CACHE_VERSION && isRecord(json.entries)) return json.entries;
  // Unmarked files from older versions: every entry is an object stamped with `at`.
  const legacy = Object.values(json).every((v) => isRecord(v) && typeof v.at === 'string');
  return legacy && !(CACHE_MARKER in json) ? json : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `$NPU_FIRST_TUNING_CACHE` names /x: … — the variable, when one chose the path. */
function where(path: string): string {
  const envVar = chosenBy.get(path);
  return envVar ? `${path} (from ${envVar})` : path;
}

function fix(path: string): string {
  const envVar = chosenBy.get(path);
  return envVar ? `point ${envVar} at a new file, or set it to off` : 'remove or move it';
}

function refused(path: string, reason: string): ReadResult {
  return { entries: {}, problem: `${where(path)} ${reason}`, foreign: reason };
}

function isDirectory(path: string): string {
  return `is a directory, not a cache file: ${fix(path)}`;
}

function notOurs(path: string, why: string): string {
  return `is not an npu-first cache (${why}), so it is left untouched: ${fix(path)}`;
}

/**
 * Adds (or replaces) entries and keeps the newest `maxEntries`; written to a temporary file
 * beside it and renamed, so a reader never sees half a file, and the temporary file is
 * removed whatever fails. Throws {@link InvalidOptionError} rather than overwrite a path that
 * is a directory or a file that is not one of our caches, and the `fs` error when the file
 * cannot be written (callers report both: a cache is never worth failing a run for).
 */
export async function writeCacheEntries(
  path: string,
  updates: Readonly<Record<string, unknown>>,
  maxEntries: number,
): Promise<void> {
  const current = await readCache(path);
  if (current.foreign) throw refusal(path, current.foreign);
  const { entries } = current;
  for (const [key, value] of Object.entries(updates)) {
    delete entries[key];
    entries[key] = value;
  }
  const kept = Object.fromEntries(Object.entries(entries).slice(-maxEntries));
  const body = { [CACHE_MARKER]: CACHE_VERSION, entries: kept };
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(body, null, 1)}\n`, { flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    // A directory created since the read above: say so rather than `EISDIR`.
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw refusal(path, isDirectory(path));
    throw error;
  }
}

function refusal(path: string, reason: string): InvalidOptionError {
  return new InvalidOptionError(where(path), `cache not written: it ${reason}`);
}
