import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TensorInfo } from '@npu-first/core';
import { buildMlp, writeFixture } from '@npu-first/testkit';
import { parse } from 'npyjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';
import { encodeNpy, parseOutputTargets } from './npy-outputs.js';
import type { Io } from './output.js';

let dir: string;
let mlp: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npu-first-npy-out-'));
  mlp = await writeFixture(buildMlp(), dir);
});

async function cli(...args: string[]) {
  let out = '';
  const io: Io = {
    out: (t) => (out += `${t}\n`),
    write: (t) => (out += t),
    err: (t) => (out += `${t}\n`),
    interactive: false,
  };
  const code = await main(['node', 'npu-first', ...args], io);
  return { code, out, json: args.includes('--json') ? JSON.parse(out) : undefined };
}

const reread = async (path: string) => {
  const bytes = await readFile(path);
  return parse(new Uint8Array(bytes).buffer, { convertFloat16: false });
};

describe('npu-first run --output', () => {
  it('writes the first output as a .npy file NumPy readers parse, and reports it', async () => {
    const out = join(dir, 'y.npy');
    const { code, json } = await cli('run', mlp, '--output', out, '--json');
    expect(code).toBe(0);
    expect(json.files).toEqual({ y: out });
    const array = await reread(out);
    expect(array).toMatchObject({ dtype: 'f4', shape: [...json.outputs.y.dims] });
    expect(Array.from(array.data as Float32Array).slice(0, 6)).toEqual(
      json.outputs.y.preview.map((v: number) => Math.fround(v)),
    );
  });

  it('writes a named output and overwrites an existing file', async () => {
    const out = join(dir, 'named.npy');
    await writeFile(out, 'old contents');
    const { code, out: text } = await cli('run', mlp, '--output', `y=${out}`);
    expect(code).toBe(0);
    expect(text).toContain(`y → ${out}`);
    expect((await reread(out)).dtype).toBe('f4');
  });

  it('names --output in usage errors: an unknown output, an unwritable path', async () => {
    const unknown = await cli('run', mlp, '--output', `nope=${join(dir, 'n.npy')}`, '--json');
    expect(unknown.code).toBe(2);
    expect(unknown.json.error).toMatchObject({ code: 'INVALID_OPTION', option: '--output' });
    expect(unknown.json.error.message).toContain('outputs: y');
    const bad = await cli('run', mlp, '--output', join(dir, 'no', 'such', 'dir.npy'), '--json');
    expect(bad.code).toBe(2);
    expect(bad.json.error).toMatchObject({ code: 'INVALID_OPTION', option: '--output' });
    expect(bad.json.error.message).toContain('ENOENT');
  });
});

describe('parseOutputTargets', () => {
  const outputs: TensorInfo[] = [
    { name: 'logits', type: 'float32', shape: [1] },
    { name: 'out.1', type: 'float32', shape: [1] },
  ];
  it('maps a bare file to the first output and name=file to that output', () => {
    expect([...parseOutputTargets(['a.npy', 'out.1=b.npy'], outputs)]).toEqual([
      ['logits', 'a.npy'],
      ['out.1', 'b.npy'],
    ]);
  });
  it('refuses the same output twice', () => {
    expect(() => parseOutputTargets(['a.npy', 'logits=b.npy'], outputs)).toThrow(/more than once/);
  });
});

describe('encodeNpy', () => {
  it('keeps the dtype of int64, float16 and bool tensors', () => {
    const int64 = encodeNpy('a', { type: 'int64', data: new BigInt64Array([1n, -2n]), dims: [2] });
    expect(parse(int64.slice().buffer)).toMatchObject({ dtype: 'i8', shape: [2] });
    const half = encodeNpy('b', { type: 'float16', data: new Uint16Array([0x3c00]), dims: [1, 1] });
    expect(parse(half.slice().buffer, { convertFloat16: false })).toMatchObject({
      dtype: 'f2',
      shape: [1, 1],
    });
    const bool = encodeNpy('c', { type: 'bool', data: new Uint8Array([1, 0]), dims: [2] });
    expect(parse(bool.slice().buffer).dtype).toBe('b1');
  });
  it('refuses string tensors', () => {
    expect(() => encodeNpy('s', { type: 'string', data: ['x'], dims: [1] })).toThrow(/strings/);
  });
});
