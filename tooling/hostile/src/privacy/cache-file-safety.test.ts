import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cacheFilePath,
  InvalidOptionError,
  readCacheFile,
  writeCacheEntries,
} from '@npu-first/core';
import { readTuning, tuningCachePath, writeTuning } from '@npu-first/onnxruntime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'npu-first-cache-safety-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh folder per case, so a stray temporary file is easy to see. */
async function folder(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  return dir;
}

const tmpFiles = async (dir: string) => (await readdir(dir)).filter((f) => f.endsWith('.tmp'));
/** The error a promise rejects with (a resolved one fails the test). */
async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );
}

const entry = { intraOpThreads: 2, medians: { '2': 1.5 }, at: '2025-01-01T00:00:00.000Z' };

describe('a cache path that names something else', () => {
  it('leaves a file that is not JSON untouched, and says which variable to change', async () => {
    const dir = await folder('text');
    const path = join(dir, 'notes.txt');
    await writeFile(path, 'my notes\n');
    const named = cacheFilePath('NPU_FIRST_TUNING_CACHE', 'tuning.json', {
      NPU_FIRST_TUNING_CACHE: path,
    });
    const error = await failure(writeCacheEntries(named as string, { k: entry }, 8));
    expect(InvalidOptionError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/not an npu-first cache \(it is not JSON\)/);
    expect(error.message).toMatch(/point NPU_FIRST_TUNING_CACHE at a new file, or set it to off/);
    expect(await readFile(path, 'utf8')).toBe('my notes\n');
    expect(await tmpFiles(dir)).toEqual([]);
    expect((await readCacheFile(path)).problem).toMatch(/left untouched/);
  });

  it('leaves JSON that is not ours untouched (a package.json, say)', async () => {
    const dir = await folder('json');
    const path = join(dir, 'package.json');
    const text = '{ "name": "mine", "scripts": { "at": "x" } }\n';
    await writeFile(path, text);
    await expect(writeCacheEntries(path, { k: entry }, 8)).rejects.toThrow(/without our marker/);
    expect(await readFile(path, 'utf8')).toBe(text);
    expect(await tmpFiles(dir)).toEqual([]);
  });

  it('refuses a directory with a clear message and leaves no temporary file', async () => {
    const dir = await folder('dir');
    const path = join(dir, 'cache');
    await mkdir(path);
    const error = await failure(writeCacheEntries(path, { k: entry }, 8));
    expect(InvalidOptionError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/is a directory, not a cache file/);
    expect(await readdir(dir)).toEqual(['cache']);
    expect(await readdir(path)).toEqual([]);
    expect((await readCacheFile(path)).problem).toMatch(/is a directory/);
  });

  it('writes its own file marked, reads it back, and keeps updating it', async () => {
    const dir = await folder('own');
    const path = join(dir, 'sub', 'tuning.json');
    await writeCacheEntries(path, { a: entry }, 8);
    await writeCacheEntries(path, { b: entry }, 8);
    const json = JSON.parse(await readFile(path, 'utf8'));
    expect(json['npu-first-cache']).toBe(1);
    expect(Object.keys(json.entries)).toEqual(['a', 'b']);
    expect(await readCacheFile(path)).toEqual({ entries: { a: entry, b: entry } });
    expect(await tmpFiles(join(dir, 'sub'))).toEqual([]);
  });

  it('takes over an unmarked cache written by an older version, and an empty file', async () => {
    const dir = await folder('legacy');
    const legacy = join(dir, 'old.json');
    await writeFile(legacy, JSON.stringify({ old: entry }));
    await writeCacheEntries(legacy, { fresh: entry }, 8);
    expect(Object.keys((await readCacheFile(legacy)).entries)).toEqual(['old', 'fresh']);
    const empty = join(dir, 'empty.json');
    await writeFile(empty, '');
    await writeCacheEntries(empty, { fresh: entry }, 8);
    expect(Object.keys((await readCacheFile(empty)).entries)).toEqual(['fresh']);
  });
});

describe('the tuning cache (NPU_FIRST_TUNING_CACHE)', () => {
  it('reports a path it cannot use once, as a warning, and never fails the read', async () => {
    const dir = await folder('tuning');
    const path = join(dir, 'config.yaml');
    await writeFile(path, 'key: value\n');
    const warnings: Error[] = [];
    const listen = (w: Error) => warnings.push(w);
    process.on('warning', listen);
    try {
      expect(await readTuning('k', path)).toBeUndefined();
      expect(await readTuning('other', path)).toBeUndefined();
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on next tick
    } finally {
      process.off('warning', listen);
    }
    expect(warnings.map((w) => (w as NodeJS.ErrnoException).code)).toEqual([
      'NPU_FIRST_TUNING_CACHE',
    ]);
    expect(warnings[0]?.message).toMatch(/^tuning cache ignored: .*config\.yaml/);
    await expect(writeTuning('k', entry, path)).rejects.toThrow(/left untouched/);
    expect(await readFile(path, 'utf8')).toBe('key: value\n');
  });

  it('a directory named by the variable: refused by name, nothing left behind', async () => {
    const dir = await folder('tuning-dir');
    const path = tuningCachePath({ NPU_FIRST_TUNING_CACHE: dir }) as string;
    await expect(writeTuning('k', entry, path)).rejects.toThrow(
      /\(from NPU_FIRST_TUNING_CACHE\).*is a directory/,
    );
    expect(await readdir(dir)).toEqual([]);
    expect((await readdir(root)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
