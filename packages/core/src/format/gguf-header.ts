import type { ByteSource } from './byte-source.js';
import { checkGgufHparams } from './gguf-hparams.js';
import { readGgufLayout } from './gguf-layout.js';
import { GgufFieldError } from './gguf-reader.js';

/** GGUF files start with the ASCII magic "GGUF", then a little-endian uint32 version. */
const GGUF_MAGIC = [0x47, 0x47, 0x55, 0x46];
/** magic + version + tensor count (u64) + metadata count (u64). */
const GGUF_HEADER_BYTES = 24;

export type GgufCheck =
  | { kind: 'gguf'; version: number }
  | { kind: 'damaged'; reason: string }
  | { kind: 'not-gguf' };

/**
 * Tells GGUF from other bytes, then reads its whole header region — metadata and tensor
 * infos, not tensor data — and refuses what cannot be right before an engine sees it:
 * node-llama-cpp's JS parser loops on impossible counts, and llama.cpp aborts the process on
 * some hyper-parameters (see `checkGgufHparams`).
 */
export async function checkGgufHeader(source: ByteSource): Promise<GgufCheck> {
  const head = await source.read(0, GGUF_HEADER_BYTES);
  if (head.length < 4 || GGUF_MAGIC.some((b, i) => head[i] !== b)) return { kind: 'not-gguf' };
  if (head.length < GGUF_HEADER_BYTES) {
    return {
      kind: 'damaged',
      reason: `truncated: ${source.size} bytes is shorter than a GGUF header`,
    };
  }
  try {
    const layout = await readGgufLayout(source);
    checkGgufHparams(layout);
    return { kind: 'gguf', version: layout.version };
  } catch (error) {
    if (!(error instanceof GgufFieldError)) throw error;
    return { kind: 'damaged', reason: `${error.message} (re-download or re-convert the model)` };
  }
}
