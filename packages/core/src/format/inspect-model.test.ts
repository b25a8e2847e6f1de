import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NpuFirstError } from '../errors/base.js';
import { inspectModel } from './inspect-model.js';

/** ir_version 7, producer "t", a 6-byte graph holding one node, opset_import. */
const ONNX = new Uint8Array([
  0x08, 0x07, 0x12, 0x01, 0x74, 0x3a, 0x06, 0x0a, 0x04, 0x0a, 0x01, 0x78, 0x00, 0x42, 0x02, 0x10,
  0x0d,
]);
const GGUF = new Uint8Array([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0, ...new Array(16).fill(0)]);

let dir: string;
const file = async (name: string, bytes: Uint8Array | string) => {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
};
const codeOf = async (p: Promise<unknown>) => {
  const e = await p.catch((error: unknown) => error);
  return NpuFirstError.isInstance(e) ? e.code : e;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npu-first-inspect-'));
});

describe('inspectModel', () => {
  it('recognises ONNX and GGUF from their bytes, whatever the file is called', async () => {
    expect((await inspectModel(await file('model.bin', ONNX))).format).toBe('onnx');
    expect((await inspectModel(await file('weights.onnx.bak', GGUF))).format).toBe('gguf');
    const fromBytes = await inspectModel(ONNX);
    expect(fromBytes).toMatchObject({ format: 'onnx', name: '<bytes>', sizeBytes: ONNX.length });
    expect(fromBytes.bytes).toBe(ONNX);
  });

  it('gives the absolute path and size of a file', async () => {
    const path = await file('a.onnx', ONNX);
    expect(await inspectModel(path)).toEqual({
      format: 'onnx',
      name: 'a.onnx',
      path,
      sizeBytes: ONNX.length,
    });
  });

  it('reports a missing file as MODEL_NOT_FOUND and a directory as MODEL_UNREADABLE', async () => {
    expect(await codeOf(inspectModel(join(dir, 'nope.onnx')))).toBe('MODEL_NOT_FOUND');
    expect(await codeOf(inspectModel(dir))).toBe('MODEL_UNREADABLE');
  });

  it('reports an empty or truncated ONNX file as MODEL_CORRUPT, saying what is missing', async () => {
    expect(await codeOf(inspectModel(await file('empty.onnx', new Uint8Array())))).toBe(
      'MODEL_CORRUPT',
    );
    const truncated = ONNX.subarray(0, 9);
    const error = await inspectModel(await file('cut.onnx', truncated)).catch((e: unknown) => e);
    expect(NpuFirstError.isInstance(error) && error.code).toBe('MODEL_CORRUPT');
    expect((error as Error).message).toMatch(
      /truncated: the graph needs 4 more bytes than the file holds \(9 bytes\)/,
    );
  });

  it('catches a truncated GGUF header and a .gguf file without the magic', async () => {
    expect(await codeOf(inspectModel(await file('cut.gguf', GGUF.subarray(0, 10))))).toBe(
      'MODEL_CORRUPT',
    );
    expect(await codeOf(inspectModel(await file('fake.gguf', 'hello world')))).toBe(
      'MODEL_CORRUPT',
    );
  });

  it('calls unknown bytes MODEL_FORMAT_UNSUPPORTED, or MODEL_CORRUPT when named .onnx', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const error = await inspectModel(await file('image.png', png)).catch((e: unknown) => e);
    expect(NpuFirstError.isInstance(error) && error.code).toBe('MODEL_FORMAT_UNSUPPORTED');
    expect((error as Error).message).toContain('89 50 4e 47');
    expect(await codeOf(inspectModel(await file('image.onnx', png)))).toBe('MODEL_CORRUPT');
  });

  it('finds ONNX header fields without a graph corrupt', async () => {
    expect(
      await codeOf(inspectModel(await file('nograph.onnx', new Uint8Array([0x08, 0x07])))),
    ).toBe('MODEL_CORRUPT');
  });

  it('rejects something that is neither a path nor bytes as INVALID_OPTION', async () => {
    expect(await codeOf(inspectModel(42 as never))).toBe('INVALID_OPTION');
  });
});
