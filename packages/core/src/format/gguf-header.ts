import type { ByteSource } from './byte-source.js';

/** GGUF files start with the ASCII magic "GGUF", then a little-endian uint32 version. */
const GGUF_MAGIC = [0x47, 0x47, 0x55, 0x46];
/** magic + version + tensor count (u64) + metadata count (u64). */
const GGUF_HEADER_BYTES = 24;

export type GgufCheck =
  | { kind: 'gguf'; version: number }
  | { kind: 'damaged'; reason: string }
  | { kind: 'not-gguf' };

export async function checkGgufHeader(source: ByteSource): Promise<GgufCheck> {
  const head = await source.read(0, GGUF_HEADER_BYTES);
  if (head.length < 4 || GGUF_MAGIC.some((b, i) => head[i] !== b)) return { kind: 'not-gguf' };
  if (head.length < GGUF_HEADER_BYTES) {
    return {
      kind: 'damaged',
      reason: `truncated: ${source.size} bytes is shorter than a GGUF header`,
    };
  }
  const version = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(4, true);
  if (version < 1 || version > 3) {
    return { kind: 'damaged', reason: `unknown GGUF version ${version} (this build reads 1–3)` };
  }
  return { kind: 'gguf', version };
}
