import { stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import {
  CorruptModelError,
  ModelNotFoundError,
  ModelUnreadableError,
  UnsupportedFormatError,
} from '../errors/errors.js';
import type { ModelDescriptor, ModelFormat } from '../spec/backend.js';
import { type ByteSource, bytesSource, fileSource } from './byte-source.js';
import { checkGgufHeader } from './gguf-header.js';
import { walkOnnx } from './onnx-wire.js';

const EXTENSIONS: Readonly<Record<string, ModelFormat>> = { '.onnx': 'onnx', '.gguf': 'gguf' };

/**
 * Identifies a model from its bytes (GGUF magic, ONNX protobuf structure), not from its
 * name, and catches missing, unreadable, empty and truncated files with typed errors
 * before any backend is asked. Reads only headers and field tags, never the whole file.
 */
export async function inspectModel(model: string | Uint8Array): Promise<ModelDescriptor> {
  if (typeof model === 'string') return inspectFile(model);
  if (!(model instanceof Uint8Array)) {
    throw new TypeError('runtime.load() takes a file path or a Uint8Array of model bytes');
  }
  const format = await detect(bytesSource(model), '<bytes>', undefined);
  return { format, name: '<bytes>', bytes: model, sizeBytes: model.byteLength };
}

async function inspectFile(input: string): Promise<ModelDescriptor> {
  const path = resolve(input);
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory())
      throw new ModelUnreadableError(path, 'it is a directory, not a model file');
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
