import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CorruptModelError,
  InvalidOptionError,
  ModelNotFoundError,
  ModelUnreadableError,
  UnsupportedFormatError,
} from '../errors/errors.js';
import type { ModelDescriptor, ModelFormat } from '../spec/backend.js';
import { messageOf } from '../util/timeout.js';
import { type ByteSource, bytesSource, fileSource } from './byte-source.js';
import { checkGgufHeader } from './gguf-header.js';
import { walkOnnx } from './onnx-wire.js';

const EXTENSIONS: Readonly<Record<string, ModelFormat>> = { '.onnx': 'onnx', '.gguf': 'gguf' };

/** What `runtime.load()` and `dryRun()` take as the model: a path, a `file:` URL, or bytes. */
export type ModelInput = string | URL | Uint8Array;

/**
 * Identifies a model from its bytes (GGUF magic, ONNX protobuf structure), not from its
 * name, and catches missing, unreadable, empty and truncated files with typed errors
 * before any backend is asked. Reads only headers and field tags, never the whole file.
 */
export async function inspectModel(model: ModelInput): Promise<ModelDescriptor> {
  if (typeof model === 'string') return inspectFile(model);
  if (model instanceof URL) return inspectFile(urlPath(model));
  if (!(model instanceof Uint8Array)) {
    throw new InvalidOptionError('model', `expected a file path or model bytes: ${hintFor(model)}`);
  }
  const format = await detect(bytesSource(model), '<bytes>', undefined);
  return { format, name: '<bytes>', bytes: model, sizeBytes: model.byteLength };
}

/** How to pass what was passed instead, for the `model` argument's error. */
function hintFor(model: unknown): string {
  if (model instanceof ArrayBuffer || model instanceof SharedArrayBuffer)
    return 'got an ArrayBuffer; wrap it in new Uint8Array(buffer)';
  if (ArrayBuffer.isView(model))
    return `got a ${model.constructor.name}; pass its bytes as new Uint8Array(view.buffer, view.byteOffset, view.byteLength)`;
  const kind = model === null ? 'null' : Array.isArray(model) ? 'an array' : typeof model;
  return `got ${kind}; pass a path string, a file: URL, or a Uint8Array of the file's bytes`;
}

/** A `file:` URL as a path; other schemes are refused (download the model first). */
function urlPath(url: URL): string {
  if (url.protocol !== 'file:') {
    throw new InvalidOptionError(
      'model',
      `${url.protocol} URLs are not loaded directly: download the model and pass its path`,
    );
  }
  try {
    return fileURLToPath(url);
  } catch (error) {
    throw new InvalidOptionError(
      'model',
      `${url.href} is not a local file URL (${messageOf(error)})`,
    );
  }
}

async function inspectFile(input: string): Promise<ModelDescriptor> {
  if (input.trim() === '') throw new InvalidOptionError('model', 'the model path is empty');
  if (input.includes('\0'))
    throw new InvalidOptionError('model', 'the model path contains a NUL character');
  const path = resolve(input);
  let size: number;
  try {
    const info = await stat(path);
    // Checked before the file is opened: opening a FIFO blocks until a writer comes, and a
    // device (/dev/zero) reports size 0 yet never ends.
    const kind = notRegular(info);
    if (kind) throw new ModelUnreadableError(path, `it is ${kind}, not a regular model file`);
    size = info.size;
  } catch (error) {
    throw fileError(error, path);
  }
  const name = basename(path);
  let source: ByteSource;
  try {
    source = await fileSource(path, size);
  } catch (error) {
    throw fileError(error, path);
  }
  try {
    const format = await detect(source, name, EXTENSIONS[extname(path).toLowerCase()]);
    return { format, name, path, sizeBytes: size };
  } finally {
    await source.close();
  }
}

/** What a file that is not a regular file is, in words; `undefined` for a regular file. */
function notRegular(info: Stats): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'something other than a file';
}

function fileError(error: unknown, path: string): Error {
  if (ModelUnreadableError.isInstance(error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ModelNotFoundError(path);
  const reason =
    code === 'EACCES' || code === 'EPERM' ? 'permission denied' : String((error as Error).message);
  return new ModelUnreadableError(path, reason, { cause: error });
}

async function detect(
  source: ByteSource,
  name: string,
  byExtension: ModelFormat | undefined,
): Promise<ModelFormat> {
  if (source.size === 0) throw new CorruptModelError(name, 'the file is empty (0 bytes)');
  const gguf = await checkGgufHeader(source);
  if (gguf.kind === 'gguf') return 'gguf';
  if (gguf.kind === 'damaged') throw new CorruptModelError(name, gguf.reason);
  const onnx = await walkOnnx(source);
  if (onnx.kind === 'onnx') return 'onnx';
  if (onnx.kind === 'damaged' || byExtension === 'onnx') {
    throw new CorruptModelError(name, `not a valid ONNX model: ${onnx.reason}`);
  }
  if (byExtension === 'gguf') {
    throw new CorruptModelError(name, 'named .gguf but does not start with the GGUF magic bytes');
  }
  const head = await source.read(0, 8);
  const hex = Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new UnsupportedFormatError(name, `neither ONNX nor GGUF (first bytes: ${hex})`);
}
