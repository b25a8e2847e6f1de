import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTinyLlamaGguf } from '@npu-first/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from '../cli-process.js';

let root: string;
let model: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hostile-temp-'));
  model = join(root, 'tiny.gguf');
  await writeFile(model, buildTinyLlamaGguf());
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Runs the child with its own TMPDIR, so whatever it leaves behind is visible here. */
async function endChild(ending: string) {
  const tmp = await mkdtemp(join(root, `${ending}-`));
  const ended = await runNode([model, ending], {
    script: join(import.meta.dirname, 'temp-model-child.mjs'),
    env: { TMPDIR: tmp },
    timeoutMs: 60_000,
  });
  return { ended, left: await readdir(tmp) };
}

// A GGUF loaded from bytes is written to a temporary file for llama.cpp; it must not outlive
// the process however the process ends (SIGKILL aside).
describe('the temporary copy of an in-memory GGUF', () => {
  it('is removed on dispose', async () => {
    const { ended, left } = await endChild('dispose');
    expect(ended.stdout).toContain('disposed, 0 entries left');
    expect(left).toEqual([]);
  });

  it('is removed when the process exits without disposing', async () => {
    const { ended, left } = await endChild('exit');
    expect(ended.stdout).toContain('loaded');
    expect(ended.code).toBe(0);
    expect(left).toEqual([]);
  });

  it.each(['SIGTERM', 'SIGINT'])(
    'is removed on %s, and the process still dies by that signal',
    async (signal) => {
      const { ended, left } = await endChild(signal);
      expect(ended.stdout).toContain('loaded');
      expect(ended.hung).toBe(false);
      expect(ended.signal).toBe(signal);
      expect(left).toEqual([]);
    },
  );

  it("is removed when the app's own SIGTERM handler exits, with the app's exit code", async () => {
    const { ended, left } = await endChild('app-handler');
    expect(ended.code).toBe(3);
    expect(left).toEqual([]);
  });
});
