import { type FileHandle, open } from 'node:fs/promises';

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

/** Opens a file for positional reads; only the bytes asked for are read. */
export async function fileSource(path: string, size: number): Promise<ByteSource> {
  const handle: FileHandle = await open(path, 'r');
  return {
    size,
    async read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buffer = new Uint8Array(n);
      if (n > 0) await handle.read(buffer, 0, n, offset);
      return buffer;
    },
    close: () => handle.close(),
  };
}
