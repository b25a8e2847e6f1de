import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Env } from './machine-roots.js';

/** Where a shared library was found, or every folder looked in. */
export interface LibraryLook {
  readonly path?: string;
  readonly searched: readonly string[];
}

/** Folders the dynamic loader searches after LD_LIBRARY_PATH and ld.so.conf's (glibc, Linux). */
const DEFAULT_DIRS = [
  '/lib/x86_64-linux-gnu',
  '/usr/lib/x86_64-linux-gnu',
  '/lib/aarch64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/lib64',
  '/usr/lib64',
  '/lib',
  '/usr/lib',
];

/**
 * A cheap look for a shared library by soname (`libvulkan.so.1`) in the folders the dynamic
 * loader searches: LD_LIBRARY_PATH, the folders /etc/ld.so.conf lists (following its
 * `include`s), then the defaults. Only to explain a failure the engine reported: the engine's
 * own load is the verdict.
 */
export async function findSharedLibrary(
  soname: string,
  env: Env = process.env,
  ldSoConf = '/etc/ld.so.conf',
): Promise<LibraryLook> {
  const fromEnv = (env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d !== '');
  const dirs = [...new Set([...fromEnv, ...(await ldSoConfDirs(ldSoConf)), ...DEFAULT_DIRS])];
  const hit = dirs.find((d) => existsSync(join(d, soname)));
  return hit ? { path: join(hit, soname), searched: dirs } : { searched: dirs };
}

async function ldSoConfDirs(file: string, depth = 0): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const dirs: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const include = /^include\s+(.+)$/.exec(line)?.[1];
    if (include === undefined) {
      dirs.push(line);
    } else if (depth < 3) {
      const pattern = include.startsWith('/') ? include : join(dirname(file), include);
      for (const conf of await expandGlob(pattern)) {
        dirs.push(...(await ldSoConfDirs(conf, depth + 1)));
      }
    }
  }
  return dirs;
}

/** `/etc/ld.so.conf.d/*.conf`: the one glob form ld.so.conf uses in practice. */
async function expandGlob(pattern: string): Promise<string[]> {
  const name = basename(pattern);
  if (!name.includes('*')) return [pattern];
  const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  const dir = dirname(pattern);
  const files = await readdir(dir).catch(() => [] as string[]);
  return files
    .filter((f) => re.test(f))
    .sort()
    .map((f) => join(dir, f));
}
