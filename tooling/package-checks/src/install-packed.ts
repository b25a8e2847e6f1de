import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './published-packages.js';

const run = promisify(execFile);

/** Packs workspace packages (folders relative to the repo root) with `pnpm pack`, as publishing would; returns the tarballs. */
export async function packPackages(
  folders: readonly string[],
  destination: string,
): Promise<string[]> {
  await mkdir(destination, { recursive: true });
  for (const folder of folders)
    await run('pnpm', ['pack', '--pack-destination', destination], { cwd: join(REPO, folder) });
  return (await readdir(destination))
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => join(destination, f));
}

/** Packs each workspace package into a folder of its own; returns its tarball by package name. */
export async function packByName(
  folders: readonly string[],
  destination: string,
): Promise<Map<string, string>> {
  const tarballs = new Map<string, string>();
  for (const folder of folders) {
    const manifest = JSON.parse(await readFile(join(REPO, folder, 'package.json'), 'utf8'));
    const [tarball] = await packPackages([folder], join(destination, folder.replace(/\//g, '-')));
    if (tarball) tarballs.set(manifest.name, tarball);
  }
  return tarballs;
}

/**
 * An application outside the workspace, as a user would have it: the packed `folders` installed
 * with npm into a fresh temporary folder (install scripts off, so onnxruntime-node's CUDA download
 * never runs; the registry only for what the local cache lacks). `type` is the app's module type.
 * Returns the app's folder.
 */
export async function installPacked(
  folders: readonly string[],
  type: 'module' | 'commonjs',
): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'npu-first-installed-'));
  const tarballs = await packPackages(folders, join(root, 'packs'));
  const app = join(root, 'app');
  await mkdir(app);
  // No "type" field is what a CommonJS app has.
  const manifest = { name: 'installed-app', private: true, ...(type === 'module' ? { type } : {}) };
  await writeFile(join(app, 'package.json'), JSON.stringify(manifest));
  await run(
    'npm',
    [
      'install',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      ...tarballs,
    ],
    { cwd: app, maxBuffer: 16 * 1024 * 1024 },
  );
  return app;
}

/** Runs `node <file>` in the app as a user would: from another directory, without the NODE_PATH pnpm gives test runs. */
export async function runInApp(app: string, file: string): Promise<string> {
  const { NODE_PATH: _, ...env } = process.env;
  const { stdout } = await run(process.execPath, [join(app, file)], { cwd: '/', env });
  return stdout;
}
