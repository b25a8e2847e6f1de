import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { buildMlp, writeTinyLlamaGguf } from '@npu-first/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DocBlock, docBlocks, extractTsBlocks } from './doc-blocks.js';
import { REPO } from './published-packages.js';

const run = promisify(execFile);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
// Git-ignored, inside the workspace: the blocks resolve the built packages through this package's
// node_modules, and the runtime discovers the backends named in the package.json written here.
const work = join(import.meta.dirname, '..', '.doc-blocks');

const blocks = await docBlocks();
const fileOf = (block: DocBlock) => `${block.where.replace(/[^A-Za-z0-9]+/g, '-')}.ts`;
/** tsc's diagnostics, by the file they are in. */
const diagnostics = new Map<string, string[]>();

beforeAll(async () => {
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const manifest = {
    name: 'doc-blocks',
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(
      ['core', 'backend-cpu', 'backend-gpu', 'backend-npu'].map((p) => [`@npu-first/${p}`, '*']),
    ),
  };
  const tsconfig = {
    extends: '../../tsconfig/base.json',
    compilerOptions: { outDir: 'dist', rootDir: '.', sourceMap: false, declaration: false },
    include: ['*.ts'],
  };
  await writeFile(join(work, 'package.json'), JSON.stringify(manifest));
  await writeFile(join(work, 'tsconfig.json'), JSON.stringify(tsconfig));
  // What the snippets name: a model of each format in the folder they run in, and the backend a
  // backend author's snippets import from './my-backend.js'.
  await writeFile(join(work, 'model.onnx'), buildMlp().bytes);
  await writeTinyLlamaGguf(work, { fileName: 'model.gguf' });
  await writeFile(
    join(work, 'my-backend.ts'),
    "export { createCpuOnnxBackend as createMyBackend } from '@npu-first/backend-cpu';\n",
  );
  // `export {}` makes every block a module: top-level await, no globals shared between blocks.
  for (const block of blocks)
    await writeFile(join(work, fileOf(block)), `${block.code}\nexport {};\n`);
  const output = await run(process.execPath, [tsc, '-p', work, '--pretty', 'false']).then(
    ({ stdout }) => stdout,
    (error: { stdout: string }) => error.stdout,
  );
  for (const line of output.split('\n').filter(Boolean)) {
    const file = basename(/^([^(]+)\(/.exec(line)?.[1] ?? '(tsc)');
    diagnostics.set(file, [...(diagnostics.get(file) ?? []), line]);
  }
}, 120_000);

describe('the TypeScript blocks of README.md, docs/*.md and packages/*/README.md', () => {
  it('are found, and the exceptions that only type-check are few and say why', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(15);
    const exceptions = blocks.filter((b) => b.typecheckOnly !== undefined);
    for (const block of exceptions) expect(block.typecheckOnly, block.where).not.toBe('');
    expect(exceptions.length).toBeLessThanOrEqual(blocks.length / 4);
  });

  it('the extractor reads the marker above a fence, with its reason', () => {
    const markdown = [
      '```ts',
      'a();',
      '```',
      '<!-- check: typecheck-only — needs a GPU -->',
      '```ts',
      'b();',
      '```',
    ].join('\n');
    expect(extractTsBlocks(join(REPO, 'x.md'), markdown)).toEqual([
      { where: 'x.md:1', code: 'a();' },
      { where: 'x.md:5', code: 'b();', typecheckOnly: 'needs a GPU' },
    ]);
  });

  it('tsc reports nothing outside the blocks', () => {
    const blockFiles = new Set(blocks.map(fileOf));
    const elsewhere = [...diagnostics].filter(([file]) => !blockFiles.has(file));
    expect(elsewhere).toEqual([]);
  });

  for (const block of blocks) {
    const mode =
      block.typecheckOnly === undefined
        ? 'type-checks under strict and runs'
        : 'type-checks under strict';
    it(`${block.where} ${mode}`, async () => {
      expect(diagnostics.get(fileOf(block)) ?? [], block.code).toEqual([]);
      if (block.typecheckOnly !== undefined) return;
      const { NODE_PATH: _, ...env } = process.env;
      const script = join(work, 'dist', fileOf(block).replace(/\.ts$/, '.js'));
      await expect(
        run(process.execPath, [script], { cwd: work, env, timeout: 120_000 }),
        block.code,
      ).resolves.toBeDefined();
    }, 150_000);
  }
});
