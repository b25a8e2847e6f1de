import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { ModelUnreadableError } from '../errors/errors.js';

/** Random access to a model's bytes, whether they sit in memory or in a file. */
export interface ByteSource {
  readonly size: number;
  /** Reads up to `length` bytes at `offset` (fewer at the end). */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.byteLength,
    read: async (offset, length) =>
      bytes.subarray(offset, Math.min(offset + length, bytes.byteLength)),
    close: async () => {},
  };
}

/** Bytes read from disk at a time: walking many small protobuf fields costs a few reads. */
const WINDOW = 64 * 1024;

/**
 * Opens a file for positional reads through a 64 KiB window: neighbouring small reads (field
 * tags, lengths) share one disk read, and large payloads that are skipped are never read.
 * `size`: the size the caller already read (default: the file's). Anything but a regular file is
 * refused with `ModelUnreadableError`.
 */
export async function fileSource(path: string, size?: number): Promise<ByteSource> {
  // Non-blocking, so a FIFO put in place of the file cannot hang the open; it is then refused.
  const handle: FileHandle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  let total: number;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ModelUnreadableError(path, 'it is not a regular file');
    total = size ?? info.size;
  } catch (error) {
    await handle.close();
    throw error;
  }
  let windowStart = -1;
  let window = new Uint8Array(0);
  return {
    size: total,
    async read(offset, length) {
      const end = Math.min(offset + length, total);
      if (windowStart < 0 || offset < windowStart || end > windowStart + window.byteLength) {
        const n = Math.max(0, Math.min(Math.max(length, WINDOW), total - offset));
        window = new Uint8Array(n);
        if (n > 0) await handle.read(window, 0, n, offset);
        windowStart = offset;
      }
      return window.subarray(offset - windowStart, end - windowStart);
    },
    close: () => handle.close(),
  };
}
