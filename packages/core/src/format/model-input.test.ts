import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NpuFirstError } from '../errors/base.js';
import { inspectModel } from './inspect-model.js';

const ONNX = new Uint8Array([
  0x08, 0x07, 0x12, 0x01, 0x74, 0x3a, 0x06, 0x0a, 0x04, 0x0a, 0x01, 0x78, 0x00, 0x42, 0x02, 0x10,
  0x0d,
]);

let dir: string;
let server: Server | undefined;
const failure = async (model: unknown) => {
  const error = await inspectModel(model as never).catch((e: unknown) => e);
  if (!NpuFirstError.isInstance(error)) throw new Error(`not a typed error: ${String(error)}`);
  return { code: error.code, message: error.message };
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npu-first-model-input-'));
});
afterAll(() => server?.close());

describe('the model argument', () => {
  it.each([
    ['an ArrayBuffer', ONNX.slice().buffer, /wrap it in new Uint8Array\(buffer\)/],
    ['a Float32Array', new Float32Array(4), /Float32Array; pass its bytes as new Uint8Array/],
    ['null', null, /got null; pass a path string, a file: URL, or a Uint8Array/],
    ['a number', 42, /got number/],
    ['an object', { path: 'model.onnx' }, /got object/],
    ['an http URL', new URL('https://example.com/m.onnx'), /download the model/],
    ['an empty path', '', /the model path is empty/],
    ['a path with a NUL', 'a\0b.onnx', /NUL character/],
  ])('refuses %s with INVALID_OPTION and says what to pass', async (_what, model, hint) => {
    const { code, message } = await failure(model);
    expect(code).toBe('INVALID_OPTION');
    expect(message).toMatch(hint);
  });

  it('takes a file: URL as its path', async () => {
    const path = join(dir, 'url model.onnx');
    await writeFile(path, ONNX);
    expect(await inspectModel(pathToFileURL(path))).toMatchObject({ format: 'onnx', path });
  });
});

describe.skipIf(process.platform === 'win32')('a model path that is not a regular file', () => {
  it('refuses a FIFO without opening it (which would block until a writer came)', async () => {
    const fifo = join(dir, 'pipe.onnx');
    execFileSync('mkfifo', [fifo]);
    expect(await failure(fifo)).toEqual({
      code: 'MODEL_UNREADABLE',
      message: `Cannot read model ${fifo}: it is a named pipe (FIFO), not a regular model file`,
    });
  });

  it('refuses a character device instead of calling it empty', async () => {
    expect(await failure('/dev/zero')).toEqual({
      code: 'MODEL_UNREADABLE',
      message: 'Cannot read model /dev/zero: it is a character device, not a regular model file',
    });
  });

  it('refuses a socket and a directory, saying which', async () => {
    const socket = join(dir, 'model.sock');
    server = createServer();
    await new Promise<void>((resolve) => server?.listen(socket, resolve));
    expect((await failure(socket)).message).toMatch(/it is a socket, not a regular model file$/);
    expect((await failure(dir)).message).toMatch(/it is a directory, not a regular model file$/);
  });
});
