import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMlp, writeFixture } from '@npu-first/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { whileLoading } from './load-spinner.js';
import { main } from './main.js';
import type { Io } from './output.js';

const io = (interactive: boolean): Io => ({
  out: () => {},
  write: () => {},
  err: () => {},
  interactive,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('whileLoading', () => {
  it('draws nothing and hands the work back untouched off a terminal or with --json', () => {
    const work = Promise.resolve(1);
    const stream = { write: vi.fn() };
    expect(whileLoading(io(false), 'Loading…', work, { stream })).toBe(work);
    expect(whileLoading(io(true), 'Loading…', work, { json: true, stream })).toBe(work);
    expect(stream.write).not.toHaveBeenCalled();
  });

  it('on a terminal, draws the label and clears the line when loading fails', async () => {
    const lines: string[] = [];
    let drawn!: () => void;
    const firstDraw = new Promise<void>((resolve) => (drawn = resolve));
    const stream = {
      write: (t: string) => {
        lines.push(t);
        drawn();
      },
    };
    const failure = new Error('load failed');
    const work = firstDraw.then(() => Promise.reject(failure));
    await expect(whileLoading(io(true), 'Loading m.gguf…', work, { stream })).rejects.toBe(failure);
    expect(lines[0]).toContain('Loading m.gguf…');
    expect(lines.at(-1)).toBe('\r\x1b[2K');
  });
});

describe('the load spinner in the CLI', () => {
  it('is not printed in --json runs, even on a terminal, nor off a terminal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npu-first-spinner-'));
    const mlp = await writeFixture(buildMlp(), dir);
    const stderr = vi.spyOn(process.stderr, 'write');
    let out = '';
    let err = '';
    const capture = (interactive: boolean): Io => ({
      out: (t) => (out += `${t}\n`),
      write: (t) => (out += t),
      err: (t) => (err += `${t}\n`),
      interactive,
    });
    expect(await main(['node', 'npu-first', 'run', mlp, '--json'], capture(true))).toBe(0);
    expect(JSON.parse(out).outputs.y).toBeDefined();
    out = '';
    expect(await main(['node', 'npu-first', 'run', mlp], capture(false))).toBe(0);
    const drawn = stderr.mock.calls.map(([t]) => String(t)).join('') + err + out;
    expect(drawn).not.toContain('Loading');
  });
});
