#!/usr/bin/env node
/**
 * Builds the workspace package in the current folder: declarations with `tsc`, JavaScript with
 * rolldown — one file per entry point plus shared chunks, dependencies left as imports.
 *
 * Why bundle: Node resolves, reads and links every ES module file on its own, and that
 * dominates start-up. `@npu-first/core` as 27 files took 25 ms to import cold on a 2-core
 * machine, as one file 9 ms; discovery + probing and the runtime's cold start pay it for every
 * package. Dynamic `import()`s (lazy backends, optional engines) stay separate chunks, loaded
 * only when reached.
 *
 * Entry points: the package's `exports` (import conditions), `bin`, the `"npu-first"` plugin
 * entry, and any `src/*.ts` paths given as arguments (files a package runs by path).
 * Usage (in a package's `build` script): `node ../../tooling/scripts/build-package.mjs [src/x.ts …]`
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative } from 'node:path';
import { build } from 'rolldown';

const cwd = process.cwd();
const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));

/** `./dist/a/b.js` → `{ name: 'a/b', source: 'src/a/b.ts' }`. */
function entryFor(distPath) {
  const match = /^\.?\/?dist\/(.+)\.js$/.exec(distPath);
  if (!match) throw new Error(`${pkg.name}: entry ${distPath} is not under dist/`);
  const source = join('src', `${match[1]}.ts`);
  if (!existsSync(join(cwd, source))) throw new Error(`${pkg.name}: ${source} does not exist`);
  return { name: match[1], source };
}

const targets = new Set();
for (const value of Object.values(pkg.exports ?? {})) {
  if (typeof value === 'object' && value.import) targets.add(value.import);
}
for (const bin of typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {}))
  targets.add(bin);
if (pkg['npu-first']?.plugin) targets.add(pkg['npu-first'].plugin);
const input = {};
for (const target of targets) {
  const { name, source } = entryFor(target);
  input[name] = source;
}
for (const extra of process.argv.slice(2)) {
  const name = relative('src', extra).replace(/\.ts$/, '');
  input[name] = extra;
}

rmSync(join(cwd, 'dist'), { recursive: true, force: true });
const tsc = createRequire(join(cwd, 'package.json')).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly'], {
  stdio: 'inherit',
});

const isBare = (id) => !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0');
await build({
  input,
  platform: 'node',
  // Dependencies (and Node's built-ins) are imported at run time, never copied in.
  external: (id) => isBare(id),
  logLevel: 'warn',
  output: {
    dir: 'dist',
    format: 'esm',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
});
