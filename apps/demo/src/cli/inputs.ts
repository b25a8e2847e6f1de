import { readFile } from 'node:fs/promises';
import {
  type DType,
  type Feeds,
  InvalidInputError,
  InvalidOptionError,
  randomTensor,
  type Tensor,
  type TensorInfo,
  type TrialOptions,
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

/**
 * `--dim batch=2`: values for symbolic dimensions of random inputs (default: 1 for a batch or
 * an input's first dimension, 256 otherwise, as measured selection guesses them).
 */
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

/**
 * What measured selection times the candidates on: the `.npy` inputs given (the user's real
 * shapes), the others generated with the `--dim` sizes.
 */
export async function trialOptions(
  specs: ReadonlyMap<string, string>,
  dims: ReadonlyMap<string, number>,
): Promise<TrialOptions> {
  const feeds: Record<string, Tensor> = {};
  for (const [name, source] of specs)
    if (source !== 'random') feeds[name] = await readNpy(name, source);
  return {
    ...(Object.keys(feeds).length > 0 ? { feeds } : {}),
    ...(dims.size > 0 ? { dims: Object.fromEntries(dims) } : {}),
  };
}
