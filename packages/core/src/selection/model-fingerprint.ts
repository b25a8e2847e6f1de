import { fileSource } from '../format/byte-source.js';
import type { ModelDescriptor } from '../spec/backend.js';

/** Bytes hashed at each of the model's start, middle and end. */
const SAMPLE = 64 * 1024;

/**
 * A fingerprint of a model's content, the same wherever the file lives: its size and a
 * SHA-256 of 64 KiB at its start, middle and end (headers, metadata and a slice of weights).
 * Hashing a whole multi-gigabyte model would cost more than the trial it saves.
 */
export async function modelFingerprint(model: ModelDescriptor): Promise<string> {
  // Imported on use: node:crypto costs ~5 ms to load, and one-candidate loads never need it.
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256').update(String(model.sizeBytes));
  const size = model.sizeBytes;
  const offsets = [0, Math.max(0, Math.floor(size / 2) - SAMPLE / 2), Math.max(0, size - SAMPLE)];
  if (model.bytes !== undefined) {
    for (const at of offsets) hash.update(model.bytes.subarray(at, at + SAMPLE));
  } else {
    const source = await fileSource(model.path as string, size);
    try {
      for (const at of offsets) hash.update(await source.read(at, SAMPLE));
    } finally {
      await source.close();
    }
  }
  return `${size}:${hash.digest('hex').slice(0, 32)}`;
}
