import { stat } from 'node:fs/promises';
import { fileSource } from '../format/byte-source.js';
import type { ModelDescriptor } from '../spec/backend.js';

/** Bytes hashed at each of the model's start, middle and end. */
const SAMPLE = 16 * 1024;

/** Fingerprints of files this process has read, by path, size and modification time. */
const known = new Map<string, string>();

/**
 * A fingerprint of a model's content, the same wherever the file lives: its size and a
 * SHA-256 of 16 KiB at its start, middle and end (headers, graph or metadata, and slices of
 * weights: a fine-tuned model of the same shape differs in every slice). Hashing a whole
 * multi-gigabyte model would cost more than the trial it saves; this costs ~0.3 ms, and
 * nothing for a file this process has fingerprinted unchanged.
 */
export async function modelFingerprint(model: ModelDescriptor): Promise<string> {
  if (model.bytes !== undefined)
    return hashSamples(model.sizeBytes, async (at) => slice(model.bytes as Uint8Array, at));
  const path = model.path as string;
  const info = await stat(path);
  const key = `${path}|${info.size}|${info.mtimeMs}|${info.ino}`;
  const seen = known.get(key);
  if (seen !== undefined) return seen;
  const source = await fileSource(path, info.size);
  try {
    const fingerprint = await hashSamples(info.size, (at) => source.read(at, SAMPLE));
    known.set(key, fingerprint);
    return fingerprint;
  } finally {
    await source.close();
  }
}

function slice(bytes: Uint8Array, at: number): Uint8Array {
  return bytes.subarray(at, at + SAMPLE);
}

async function hashSamples(
  size: number,
  read: (offset: number) => Promise<Uint8Array>,
): Promise<string> {
  // Imported on use: node:crypto costs ~5 ms to load, and one-candidate loads never need it.
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256').update(String(size));
  const offsets = [0, Math.max(0, Math.floor(size / 2) - SAMPLE / 2), Math.max(0, size - SAMPLE)];
  for (const at of offsets) hash.update(await read(at));
  return `${size}:${hash.digest('hex').slice(0, 32)}`;
}
