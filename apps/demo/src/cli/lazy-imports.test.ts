import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { writeSymbolicModel } from './__fixtures__/symbolic-model.js';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'bin.js');

/** Packages `--help` must not load: the test runner, the benchmarks and the engines. */
const HEAVY = ['vitest', '@npu-first/bench', 'onnxruntime-node', 'node-llama-cpp'];

/**
 * Preloaded with `--import`: a resolve hook writes every import specifier the process resolves
 * (bare names like `@npu-first/bench` survive here, where resolved URLs are the workspace's real
 * paths), and at exit the CommonJS files `require` loaded are added (hooks do not see those).
 */
function recorder(file: string): string {
  const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  appendFileSync(${JSON.stringify(file)}, specifier + '\\n');
  return next(specifier, context);
}`;
  return `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));
const cache = createRequire(process.cwd() + '/').cache;
process.on('exit', () => appendFileSync(${JSON.stringify(file)}, Object.keys(cache).join('\\n')));`;
}

/** Runs the built CLI with `args` and returns the heavy packages it loaded. */
async function heavyLoadedBy(...args: string[]): Promise<string[]> {
  const file = join(await mkdtemp(join(tmpdir(), 'npu-first-imports-')), 'loaded.txt');
  const hook = `data:text/javascript,${encodeURIComponent(recorder(file))}`;
  await promisify(execFile)(process.execPath, ['--import', hook, BIN, ...args]).catch(
    (e: { code?: number }) => e, // a usage error still records what it loaded
  );
  const loaded = (await readFile(file, 'utf8')).split('\n');
  return HEAVY.filter((name) =>
    loaded.some(
      (entry) =>
        entry === name || entry.startsWith(`${name}/`) || entry.includes(`/node_modules/${name}/`),
    ),
  );
}

describe('the CLI loads what a command needs when it runs', () => {
  it('--help loads no test runner, benchmark or engine', async () => {
    expect(await heavyLoadedBy('--help')).toEqual([]);
    expect(await heavyLoadedBy('run', '--help')).toEqual([]);
  });

  it('inspect of an ONNX model never loads the GGUF engine', async () => {
    // Backends that do not take the format are never probed, so node-llama-cpp stays unloaded.
    const model = await writeSymbolicModel(await mkdtemp(join(tmpdir(), 'npu-first-inspect-')));
    const loaded = await heavyLoadedBy('inspect', model, '--json');
    expect(loaded).not.toContain('node-llama-cpp');
    expect(loaded).toContain('onnxruntime-node'); // it is what reads the inputs
  });

  it('the recorder does see a heavy package when a command imports it', async () => {
    // `bench` imports @npu-first/bench before it rejects the workload: proof the check can fail.
    expect(await heavyLoadedBy('bench', '--only', 'everything', '--json')).toContain(
      '@npu-first/bench',
    );
  });
});
