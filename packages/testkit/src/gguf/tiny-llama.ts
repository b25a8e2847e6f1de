import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type GGUFValueType, type MetadataValue, serializeGgufMetadata } from '@huggingface/gguf';
import { encodeTensorSection } from './tensor-section.js';
import { GGUF_ALIGNMENT, tinyLlamaMetadata } from './tiny-llama-metadata.js';
import { resolveTinyLlamaOptions, type TinyLlamaOptions } from './tiny-llama-options.js';
import { tinyLlamaTensors } from './tiny-llama-tensors.js';
import { buildTinyVocab } from './vocab.js';

/**
 * Builds a tiny, randomly weighted `llama` GGUF (F32) that llama.cpp loads and generates from.
 * The header and metadata come from `@huggingface/gguf`'s `serializeGgufMetadata`; the tensor
 * infos and aligned tensor data are written here. Same options, same bytes.
 */
export function buildTinyLlamaGguf(options?: TinyLlamaOptions): Uint8Array {
  return buildTinyLlamaGgufWith({}, options);
}

/** A typed GGUF metadata entry, as `@huggingface/gguf` writes it. */
export interface GgufEntry {
  value: MetadataValue;
  type: GGUFValueType;
  subType?: GGUFValueType;
}

/**
 * An entry to write in place of the tiny llama's own (`null` leaves the key out), or a
 * function of the current entry (`undefined` when the key is new), to derive one from it.
 */
export type GgufMetadataEdit =
  | GgufEntry
  | null
  | ((current: GgufEntry | undefined) => GgufEntry | null);

/**
 * {@link buildTinyLlamaGguf} with metadata entries replaced, added or removed — for crafting
 * damaged or hostile models (a zero head count, mismatched tokenizer arrays) whose file
 * structure stays valid, so only the edited values are wrong.
 */
export function buildTinyLlamaGgufWith(
  edits: Readonly<Record<string, GgufMetadataEdit>>,
  options?: TinyLlamaOptions,
): Uint8Array {
  const config = resolveTinyLlamaOptions(options);
  const vocab = buildTinyVocab();
  const tensors = tinyLlamaTensors(config, vocab);
  const metadata: Record<string, unknown> = {
    ...tinyLlamaMetadata(config, vocab, tensors.length),
  };
  for (const [key, edit] of Object.entries(edits)) {
    const entry = typeof edit === 'function' ? edit(metadata[key] as GgufEntry | undefined) : edit;
    if (entry === null) delete metadata[key];
    else metadata[key] = entry;
  }
  // Alignment 1: the tensor infos must follow the KV pairs directly, with no padding between.
  const head = serializeGgufMetadata(metadata as ReturnType<typeof tinyLlamaMetadata>, {
    alignment: 1,
  });
  const tail = encodeTensorSection(tensors, head.length, GGUF_ALIGNMENT);
  const bytes = new Uint8Array(head.length + tail.length);
  bytes.set(head);
  bytes.set(tail, head.length);
  return bytes;
}

/**
 * Writes {@link buildTinyLlamaGguf}'s bytes to `<dir>/<fileName>` (default `tiny-llama.gguf`),
 * creating `dir` if needed. Returns the absolute path written.
 */
export async function writeTinyLlamaGguf(
  dir: string,
  options: TinyLlamaOptions & { fileName?: string } = {},
): Promise<string> {
  const { fileName = 'tiny-llama.gguf', ...modelOptions } = options;
  const path = resolve(dir, fileName);
  await mkdir(dir, { recursive: true });
  await writeFile(path, buildTinyLlamaGguf(modelOptions));
  return path;
}
