import { type FileHandle, open } from 'node:fs/promises';
import { readVarint } from '@npu-first/core';

/**
 * Random access to a model's bytes, in memory or in a file. File reads go through a 64 KiB
 * window, so walking the many small fields of a graph costs a few reads while the large
 * payloads (initializer data) are skipped without being read.
 */
export interface ModelBytes {
  readonly size: number;
  /** Up to `length` bytes at `offset` (fewer at the end). */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export function memoryBytes(bytes: Uint8Array): ModelBytes {
  return {
    size: bytes.byteLength,
    read: async (offset, length) =>
      bytes.subarray(offset, Math.min(offset + length, bytes.byteLength)),
    close: async () => {},
  };
}

const WINDOW = 64 * 1024;

export async function fileBytes(path: string): Promise<ModelBytes> {
  const handle: FileHandle = await open(path, 'r');
  const size = (await handle.stat()).size;
  let windowStart = -1;
  let window = new Uint8Array(0);
  const fill = async (offset: number, length: number) => {
    const n = Math.max(0, Math.min(Math.max(length, WINDOW), size - offset));
    window = new Uint8Array(n);
    if (n > 0) await handle.read(window, 0, n, offset);
    windowStart = offset;
  };
  return {
    size,
    async read(offset, length) {
      const end = Math.min(offset + length, size);
      if (windowStart < 0 || offset < windowStart || end > windowStart + window.byteLength) {
        await fill(offset, length);
      }
      return window.subarray(offset - windowStart, end - windowStart);
    },
    close: () => handle.close(),
  };
}

/** One protobuf field: its number, wire type, and where its value sits. */
export interface WireField {
  readonly field: number;
  readonly wire: number;
  /** The varint value (wire type 0). */
  readonly varint?: number;
  /** Start and length of a length-delimited value (wire type 2). */
  readonly start: number;
  readonly length: number;
}

/** Thrown when the bytes are not the protobuf they should be (truncated, damaged). */
export class WireError extends Error {}

export { readVarint };

/**
 * Walks the fields of one message in `[start, end)`, reading only each field's tag and
 * length; payloads are skipped unless the caller reads them.
 */
export async function* wireFields(
  bytes: ModelBytes,
  start: number,
  end: number,
): AsyncGenerator<WireField> {
  let offset = start;
  while (offset < end) {
    const head = await bytes.read(offset, 20);
    const tag = readVarint(head);
    if (!tag) throw new WireError(`the bytes end inside a field header at byte ${offset}`);
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    const after = offset + tag.length;
    if (wire === 0) {
      const v = readVarint(head.subarray(tag.length));
      if (!v) throw new WireError(`the bytes end inside field ${field} at byte ${offset}`);
      yield { field, wire, varint: v.value, start: after, length: v.length };
      offset = after + v.length;
    } else if (wire === 2) {
      const len = readVarint(head.subarray(tag.length));
      if (!len) throw new WireError(`the bytes end inside field ${field} at byte ${offset}`);
      const valueStart = after + len.length;
      if (valueStart + len.value > end) {
        throw new WireError(`field ${field} at byte ${offset} runs past the end of its message`);
      }
      yield { field, wire, start: valueStart, length: len.value };
      offset = valueStart + len.value;
    } else if (wire === 1 || wire === 5) {
      const width = wire === 1 ? 8 : 4;
      yield { field, wire, start: after, length: width };
      offset = after + width;
    } else {
      throw new WireError(`invalid protobuf wire type ${wire} at byte ${offset}`);
    }
  }
  if (offset !== end) throw new WireError(`a field runs past the end of its message at ${offset}`);
}

/** Reads a length-delimited field's value as UTF-8 text. */
export async function readString(bytes: ModelBytes, field: WireField): Promise<string> {
  return new TextDecoder().decode(await bytes.read(field.start, field.length));
}
