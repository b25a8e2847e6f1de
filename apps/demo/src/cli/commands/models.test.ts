import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../__fixtures__/run-cli.js';

let dir: string;

async function cli(...args: string[]) {
  const run = await runCli(...args);
  return { ...run, out: run.all };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npu-first-models-'));
  await writeFile(join(dir, 'b-model.Q4_K_M.gguf'), Buffer.alloc(2048));
  await writeFile(join(dir, 'a-model.gguf'), Buffer.alloc(10));
  await writeFile(join(dir, 'c-model.gguf.ipull'), Buffer.alloc(5)); // a download under way
  await mkdir(join(dir, 'not-a-model.gguf')); // a folder, not a file
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('npu-first models', () => {
  it('--json lists the downloaded models by name, with size and path', async () => {
    const { code, json } = await cli('models', '--models-dir', dir, '--json');
    expect(code).toBe(0);
    expect(json).toEqual({
      dir,
      models: [
        { name: 'a-model.gguf', sizeBytes: 10, path: join(dir, 'a-model.gguf') },
        { name: 'b-model.Q4_K_M.gguf', sizeBytes: 2048, path: join(dir, 'b-model.Q4_K_M.gguf') },
      ],
    });
  });

  it('reads $NPU_FIRST_MODELS_DIR, prints a table for a person, and says when there are none', async () => {
    vi.stubEnv('NPU_FIRST_MODELS_DIR', dir);
    const { code, out } = await cli('models');
    expect(code).toBe(0);
    expect(out).toMatch(/b-model\.Q4_K_M\.gguf +2\.0 kB +\S+b-model\.Q4_K_M\.gguf/);
    const empty = join(dir, 'none-yet');
    const none = await cli('models', '--models-dir', empty);
    expect(none.out).toContain(`No models in ${empty}`);
    expect((await cli('models', '--models-dir', empty, '--json')).json.models).toEqual([]);
  });

  it('rm deletes one model by name (the .gguf may be left off) and reports it', async () => {
    const { code, json } = await cli('models', 'rm', 'a-model', '--models-dir', dir, '--json');
    expect(code).toBe(0);
    expect(json.removed).toEqual({
      name: 'a-model.gguf',
      sizeBytes: 10,
      path: join(dir, 'a-model.gguf'),
    });
    expect((await readdir(dir)).sort()).toEqual([
      'b-model.Q4_K_M.gguf',
      'c-model.gguf.ipull',
      'not-a-model.gguf',
    ]);
    // Flags typed before `rm` count too.
    const text = await cli('models', '--models-dir', dir, 'rm', 'b-model.Q4_K_M.gguf');
    expect(text.code).toBe(0);
    expect(text.out).toContain('Removed b-model.Q4_K_M.gguf');
  });

  it('rm fails with typed errors: an unknown name, a path, no name', async () => {
    const unknown = await cli('models', 'rm', 'nope', '--models-dir', dir, '--json');
    expect(unknown.code).toBe(1);
    expect(unknown.json.error).toMatchObject({
      code: 'MODEL_NOT_FOUND',
      path: join(dir, 'nope'),
    });
    const path = await cli('models', 'rm', '../a-model.gguf', '--models-dir', dir, '--json');
    expect(path.code).toBe(2);
    expect(path.json.error).toMatchObject({ code: 'INVALID_OPTION', option: '<name>' });
    const missing = await cli('models', 'rm', '--json');
    expect(missing.code).toBe(2);
    expect(missing.json.error).toMatchObject({ code: 'INVALID_OPTION', option: '<name>' });
    expect(await readdir(dir)).toHaveLength(4);
  });
});
