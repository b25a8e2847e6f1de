import { stat } from 'node:fs/promises';
import { fileSource } from '../format/byte-source.js';
import type { ModelDescriptor } from '../spec/backend.js';

/** Bytes hashed at each of the model's start, middle and end. */
const SAMPLE = 16 * 1024;

/** Fingerprints of files this process has read, by path, size and modification time. */
const known = new Map<string, string>();

/**
 * A fingerprint of a model's content, the same wherever the file lives: its size and a
 * 64-bit hash of 16 KiB at its start, middle and end (headers, graph or metadata, and slices of
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
  const offsets = [0, Math.max(0, Math.floor(size / 2) - SAMPLE / 2), Math.max(0, size - SAMPLE)];
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ size;
  for (const at of offsets) [a, b] = mix(await read(at), a, b);
  return `${size}:${hex(a)}${hex(b)}`;
}

/**
 * Two 32-bit FNV-1a-style hashes with different seeds and multipliers, 64 bits together, over
 * 32-bit words (a quarter of the steps over bytes: this runs once per model and process, before
 * the JIT has warmed up). A cache key, not a defence: whoever can write the model can write the
 * cache. node:crypto would cost a fresh process ~7 ms to load, more than the rest of a cached
 * selection.
 */
function mix(bytes: Uint8Array, a: number, b: number): [number, number] {
  const whole = bytes.length >>> 2;
  // A copy starts at offset 0, so it can be read as 32-bit words whatever the sample's offset.
  const words = new Uint32Array(bytes.slice(0, whole * 4).buffer);
  let x = a;
  let y = b;
  for (let i = 0; i < whole; i++) {
    const v = words[i] as number;
    x = Math.imul(x ^ v, 0x01000193);
    y = Math.imul(y ^ v, 0x5bd1e995) ^ (y >>> 15);
  }
  for (let i = whole * 4; i < bytes.length; i++) {
    x = Math.imul(x ^ (bytes[i] as number), 0x01000193);
    y = Math.imul(y ^ (bytes[i] as number), 0x5bd1e995) ^ (y >>> 15);
  }
  return [x >>> 0, y >>> 0];
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
