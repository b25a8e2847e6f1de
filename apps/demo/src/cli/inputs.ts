import { readFile } from 'node:fs/promises';
import {
  allocate,
  type DType,
  type Feeds,
  InvalidInputError,
  InvalidOptionError,
  type Tensor,
  type TensorInfo,
} from '@npu-first/core';
import { parse as parseNpy } from 'npyjs';

/** `--input name=<file.npy|random>` as given on the command line. */
export interface InputSpec {
  readonly name: string;
  readonly source: string;
}

/** Parses repeated `name=value` flags (`--input`, `--dim`). */
export function parseAssignments(values: readonly string[], flag: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1)
      throw new InvalidOptionError(flag, `"${value}" is not name=value`);
    map.set(value.slice(0, eq), value.slice(eq + 1));
  }
  return map;
}

/** `--dim batch=2`: values for symbolic dimensions of random inputs (default 1). */
export function parseDims(values: readonly string[]): Map<string, number> {
  const dims = new Map<string, number>();
  for (const [name, text] of parseAssignments(values, '--dim')) {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidOptionError('--dim', `${name}=${text}: expected a whole number`);
    dims.set(name, n);
  }
  return dims;
}

const NPY_DTYPES: Readonly<Record<string, DType>> = {
  f4: 'float32',
  f8: 'float64',
  f2: 'float16',
  i1: 'int8',
  u1: 'uint8',
  i2: 'int16',
  u2: 'uint16',
  i4: 'int32',
  u4: 'uint32',
  i8: 'int64',
  u8: 'uint64',
  b1: 'bool',
};

/** Reads a `.npy` file (decoded by npyjs) as a tensor for input `name`. */
export async function readNpy(name: string, path: string): Promise<Tensor> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidInputError(
      name,
      'a readable .npy file',
      code === 'ENOENT' ? `no file at ${path}` : `unreadable ${path} (${code})`,
    );
  }
  let array: ReturnType<typeof parseNpy>;
  try {
    array = parseNpy(new Uint8Array(bytes).buffer, { convertFloat16: false });
  } catch (error) {
    throw new InvalidInputError(
      name,
      'a NumPy .npy file',
      `${path}, which npyjs cannot parse (${(error as Error).message})`,
    );
  }
  const type = NPY_DTYPES[array.dtype];
  if (!type)
    throw new InvalidInputError(name, 'a numeric .npy array', `dtype ${array.dtype} in ${path}`);
  if (array.fortranOrder)
    throw new InvalidInputError(
      name,
      'a C-ordered .npy array',
      `a Fortran-ordered array in ${path}`,
    );
  const data = type === 'bool' ? new Uint8Array((array.data as Uint8Array).buffer) : array.data;
  return { type, data: data as Tensor['data'], dims: array.shape };
}

/** A tensor of seeded pseudo-random values shaped as `info` declares, symbolic dims from `dims`. */
export function randomTensor(
  info: TensorInfo,
  dims: ReadonlyMap<string, number>,
  seed: number,
): Tensor {
  if (info.type === 'unknown' || info.type === 'string' || info.shape === null) {
    throw new InvalidInputError(
      info.name,
      'a .npy file (random values need a numeric tensor of known rank)',
      `${info.type} ${info.shape === null ? 'of unknown rank' : ''}`.trim(),
    );
  }
  const shape = info.shape.map((d) => (typeof d === 'number' ? d : (dims.get(d ?? '') ?? 1)));
  const count = shape.reduce((a, b) => a * b, 1);
  const data = allocate(info.type, count);
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  for (let i = 0; i < count; i++) {
    const r = next();
    if (data instanceof BigInt64Array || data instanceof BigUint64Array)
      data[i] = BigInt(Math.floor(r * 10));
    else if (data instanceof Float32Array || data instanceof Float64Array) data[i] = r * 2 - 1;
    else if (info.type === 'bool') (data as Uint8Array)[i] = r < 0.5 ? 0 : 1;
    else if (info.type === 'float16')
      (data as Uint16Array)[i] = 0x3c00; // 1.0
    else (data as Int32Array)[i] = Math.floor(r * 10);
  }
  return { type: info.type, data, dims: shape };
}

/**
 * Builds the feeds for `run`: each input from its `.npy` file, or random where the user
 * said `random` or gave nothing. Names that are not inputs are passed on, so validation
 * reports them as unknown inputs.
 */
export async function buildFeeds(
  inputs: readonly TensorInfo[],
  specs: ReadonlyMap<string, string>,
  dims: ReadonlyMap<string, number>,
): Promise<{ feeds: Feeds; sources: Record<string, string> }> {
  const feeds: Record<string, Tensor> = {};
  const sources: Record<string, string> = {};
  let seed = 1;
  for (const info of inputs) {
    const source = specs.get(info.name) ?? 'random';
    feeds[info.name] =
      source === 'random' ? randomTensor(info, dims, seed++) : await readNpy(info.name, source);
    sources[info.name] = source;
  }
  for (const [name, source] of specs) {
    if (!(name in feeds)) {
      feeds[name] =
        source === 'random'
          ? { type: 'float32', data: new Float32Array(1), dims: [1] }
          : await readNpy(name, source);
      sources[name] = source;
    }
  }
  return { feeds, sources };
}
