import type { ByteSource } from './byte-source.js';
import { GgufFieldError, GgufReader } from './gguf-reader.js';
import {
  GGML_MAX_DIMS,
  GGML_MAX_NAME,
  GGML_TYPE_BLOCKS,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAX_ARRAY_ELEMENTS,
  GGUF_MAX_KEY_BYTES,
  GGUF_VALUE_BYTES,
  GgufType,
} from './gguf-types.js';

/** One metadata entry. Scalars and short arrays carry their values; long ones only a count. */
export interface GgufKv {
  readonly key: string;
  /** File offset of the entry (its key's length). */
  readonly offset: number;
  readonly type: number;
  readonly value?: number | string | boolean;
  readonly arrayType?: number;
  readonly count?: number;
  readonly items?: readonly (number | string)[];
}

export interface GgufTensorInfo {
  readonly name: string;
  /** File offset of this tensor's info. */
  readonly at: number;
  /** GGUF order: `dims[0]` is the innermost (row) length. */
  readonly dims: readonly number[];
  readonly type: number;
}

export interface GgufLayout {
  readonly version: number;
  readonly kv: ReadonlyMap<string, GgufKv>;
  readonly tensors: readonly GgufTensorInfo[];
}

/** Smallest possible KV entry: u64 key length, a 1-byte key, u32 type, a 1-byte value. */
const MIN_KV_BYTES = 8 + 1 + 4 + 1;
/** Smallest possible tensor info: u64 name length, 1-byte name, u32 n_dims, u32 type, u64 offset. */
const MIN_TENSOR_INFO_BYTES = 8 + 1 + 4 + 4 + 8;
/** Arrays up to this long keep their values (per-layer hyper-parameters are a few hundred). */
const KEEP_ARRAY_ITEMS = 4096;
/** String values up to this long are decoded (architecture names, tokenizer kinds). */
const KEEP_STRING_BYTES = 4096;
/** The one long string array whose items are needed: llama.cpp aborts on duplicate tokens. */
const TOKENS_KEY = 'tokenizer.ggml.tokens';

/**
 * Reads a GGUF file's header, metadata and tensor infos with every count, length, type and
 * offset checked against the file's real size, the way llama.cpp's `gguf_init_from_file`
 * would refuse them — but before any engine parser loops over a count of 2^63. Tensor data
 * is never read: only its bounds are checked. Throws `GgufFieldError` naming the bad field.
 */
export async function readGgufLayout(source: ByteSource): Promise<GgufLayout> {
  const r = new GgufReader(source);
  r.skip(4, 'magic');
  const version = await r.u32('version');
  if (version !== 2 && version !== 3) {
    throw new GgufFieldError(
      'version',
      4,
      version === 1
        ? 'GGUF version 1 is obsolete and llama.cpp no longer reads it; convert the model again'
        : `unknown GGUF version ${version} (llama.cpp reads versions 2 and 3)`,
    );
  }
  const afterCounts = r.size - 24;
  const tensorCount = await boundedCount(r, 'tensor_count', MIN_TENSOR_INFO_BYTES, afterCounts);
  const kvCount = await boundedCount(r, 'kv_count', MIN_KV_BYTES, afterCounts);

  const kv = new Map<string, GgufKv>();
  for (let i = 0; i < kvCount; i++) {
    const entry = await readKv(r, i);
    if (kv.has(entry.key)) {
      throw new GgufFieldError(`metadata key "${entry.key}"`, entry.offset, 'appears twice');
    }
    kv.set(entry.key, entry);
  }
  const alignment = checkAlignment(kv.get('general.alignment'));

  if (tensorCount > Math.floor(r.remaining / MIN_TENSOR_INFO_BYTES)) {
    throw new GgufFieldError(
      'tensor_count',
      8,
      `${tensorCount} tensor infos cannot fit in the ${r.remaining} bytes after the metadata`,
    );
  }
  const tensors: GgufTensorInfo[] = [];
  const offsets: bigint[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const { info, offset } = await readTensorInfo(r, i);
    if (names.has(info.name)) {
      throw new GgufFieldError(`tensor "${info.name}" name`, info.at, 'appears twice');
    }
    names.add(info.name);
    tensors.push(info);
    offsets.push(offset);
  }
  if (tensorCount > 0) checkTensorData(r, tensors, offsets, alignment);
  return { version, kv, tensors };
}

async function boundedCount(
  r: GgufReader,
  field: string,
  minBytes: number,
  available: number,
): Promise<number> {
  const at = r.pos;
  const value = await r.u64(field);
  const fits = Math.floor(Math.max(0, available) / minBytes);
  if (value > BigInt(fits)) {
    throw new GgufFieldError(
      field,
      at,
      `${value} is impossible: ${available} bytes follow the header and each entry needs at least ${minBytes}`,
    );
  }
  return Number(value);
}

async function readKv(r: GgufReader, index: number): Promise<GgufKv> {
  const offset = r.pos;
  const key = await r.string(`metadata key #${index}`, true, GGUF_MAX_KEY_BYTES);
  if (key === '') throw new GgufFieldError(`metadata key #${index}`, offset, 'is empty');
  const field = `metadata "${key}"`;
  const typeAt = r.pos;
  const type = await r.u32(`${field} type`);
  if (type === GgufType.ARRAY) {
    const arrayType = await r.u32(`${field} array type`);
    if (arrayType === GgufType.ARRAY) {
      throw new GgufFieldError(field, typeAt, 'nested arrays are not valid GGUF');
    }
    const each = arrayType === GgufType.STRING ? 8 : GGUF_VALUE_BYTES.get(arrayType);
    if (each === undefined) {
      throw new GgufFieldError(field, typeAt, `unknown array element type ${arrayType}`);
    }
    const count = await r.count(`${field} array length`, each, GGUF_MAX_ARRAY_ELEMENTS);
    const keep = arrayType === GgufType.STRING ? key === TOKENS_KEY : count <= KEEP_ARRAY_ITEMS;
    if (!keep && arrayType !== GgufType.STRING) {
      r.skip(count * each, field);
      return { key, offset, type, arrayType, count };
    }
    const items: (number | string)[] = [];
    for (let i = 0; i < count; i++) {
      const item = await readScalar(r, arrayType, `${field}[${i}]`, keep ? 'all' : 'none');
      if (keep) items.push(item as number | string);
    }
    return keep
      ? { key, offset, type, arrayType, count, items }
      : { key, offset, type, arrayType, count };
  }
  if (type !== GgufType.STRING && !GGUF_VALUE_BYTES.has(type)) {
    throw new GgufFieldError(field, typeAt, `unknown value type ${type}`);
  }
  const value = await readScalar(r, type, field, 'short');
  return value === undefined ? { key, offset, type } : { key, offset, type, value };
}

/** How much of a string to decode: every one, short ones (names, kinds), or none. */
type Decode = 'all' | 'short' | 'none';

async function readScalar(
  r: GgufReader,
  type: number,
  field: string,
  decode: Decode,
): Promise<number | string | boolean | undefined> {
  switch (type) {
    case GgufType.STRING: {
      if (decode === 'none') return r.string(field, false);
      if (decode === 'all') return r.string(field, true);
      // Long strings (chat templates, licences) are skipped, not decoded.
      const at = r.pos;
      const length = await r.u64(`${field} length`);
      r.pos = at;
      const short = length <= BigInt(KEEP_STRING_BYTES);
      const text = await r.string(field, short);
      return short ? text : undefined;
    }
    case GgufType.UINT8:
      return r.u8(field);
    case GgufType.INT8:
      return ((await r.u8(field)) << 24) >> 24;
    case GgufType.BOOL:
      return (await r.u8(field)) !== 0;
    case GgufType.UINT32:
      return r.u32(field);
    case GgufType.INT32:
      return r.i32(field);
    case GgufType.FLOAT32:
      return r.f32(field);
    case GgufType.UINT64:
      return Number(await r.u64(field));
    default:
      // u16, i16, i64, f64: none of the rules checked here reads them.
      r.skip(GGUF_VALUE_BYTES.get(type) ?? 0, field);
      return undefined;
  }
}

function checkAlignment(entry: GgufKv | undefined): number {
  if (!entry) return GGUF_DEFAULT_ALIGNMENT;
  const field = 'metadata "general.alignment"';
  if (entry.type !== GgufType.UINT32) {
    throw new GgufFieldError(field, entry.offset, 'must be a uint32');
  }
  const alignment = entry.value as number;
  if (alignment === 0 || (alignment & (alignment - 1)) !== 0) {
    throw new GgufFieldError(field, entry.offset, `${alignment} is not a power of 2`);
  }
  return alignment;
}

async function readTensorInfo(
  r: GgufReader,
  index: number,
): Promise<{ info: GgufTensorInfo; offset: bigint }> {
  const at = r.pos;
  const name = await r.string(`tensor #${index} name`, true, GGUF_MAX_KEY_BYTES);
  const field = `tensor "${name}"`;
  if (new TextEncoder().encode(name).length >= GGML_MAX_NAME) {
    throw new GgufFieldError(
      `${field} name`,
      at,
      `is longer than ggml's ${GGML_MAX_NAME - 1} bytes`,
    );
  }
  const nDimsAt = r.pos;
  const nDims = await r.u32(`${field} n_dims`);
  if (nDims > GGML_MAX_DIMS) {
    throw new GgufFieldError(
      `${field} n_dims`,
      nDimsAt,
      `${nDims} exceeds ggml's ${GGML_MAX_DIMS}`,
    );
  }
  const dims: number[] = [];
  for (let d = 0; d < nDims; d++) {
    const dimAt = r.pos;
    const dim = await r.u64(`${field} dims[${d}]`);
    // ggml stores dims as int64; anything past 2^53 cannot describe data in a real file.
    if (dim > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new GgufFieldError(`${field} dims[${d}]`, dimAt, `${dim} is impossible`);
    }
    dims.push(Number(dim));
  }
  const typeAt = r.pos;
  const type = await r.u32(`${field} type`);
  if (!GGML_TYPE_BLOCKS.has(type)) {
    throw new GgufFieldError(`${field} type`, typeAt, `unknown or removed ggml type ${type}`);
  }
  const offset = await r.u64(`${field} data offset`);
  return { info: { name, at, dims, type }, offset };
}

/**
 * Tensor data follows the infos at the next `alignment` boundary, each tensor at the offset
 * where the previous one's padded bytes end (gguf.cpp insists), and all of it inside the file.
 */
function checkTensorData(
  r: GgufReader,
  tensors: readonly GgufTensorInfo[],
  offsets: readonly bigint[],
  alignment: number,
): void {
  const align = BigInt(alignment);
  const pad = (n: bigint) => ((n + align - 1n) / align) * align;
  const dataStart = pad(BigInt(r.pos));
  const fileSize = BigInt(r.size);
  let expected = 0n;
  tensors.forEach((tensor, i) => {
    const field = `tensor "${tensor.name}"`;
    const [block, blockBytes] = GGML_TYPE_BLOCKS.get(tensor.type) as readonly [number, number];
    const [inner = 1, ...outer] = tensor.dims;
    if (inner % block !== 0) {
      throw new GgufFieldError(
        `${field} dims[0]`,
        tensor.at,
        `${inner} is not a multiple of its type's block size ${block}`,
      );
    }
    const bytes = outer.reduce(
      (n, d) => n * BigInt(d),
      (BigInt(inner) / BigInt(block)) * BigInt(blockBytes),
    );
    const offset = offsets[i] as bigint;
    if (offset !== expected) {
      throw new GgufFieldError(
        `${field} data offset`,
        tensor.at,
        `is ${offset}, but the tensors before it end at ${expected}`,
      );
    }
    if (dataStart + offset + bytes > fileSize) {
      throw new GgufFieldError(
        `${field} data`,
        Number(dataStart + offset),
        `${tensor.dims.join('×')} values need ${bytes} bytes, past the end of the ${fileSize}-byte file`,
      );
    }
    expected = offset + pad(bytes);
  });
}
