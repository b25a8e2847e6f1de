import { readFile } from 'node:fs/promises';
import {
  checkDimNames,
  type DType,
  dimName,
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
export function parseAssignments(
  values: readonly string[] = [],
  flag: string,
): Map<string, string> {
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
 * `--dim batch=2` (an unnamed dimension as `--dim input[1]=512`): values for symbolic dimensions of random inputs (default: core's `guessDim`,
 * as measured selection guesses them — 1 for a batch or an input's first dimension, else 256).
 */
export function parseDims(values: readonly string[] = []): Map<string, number> {
  const dims = new Map<string, number>();
  for (const [name, text] of parseAssignments(values, '--dim')) {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new InvalidOptionError('--dim', `${name}=${text}: expected a whole number ≥ 1`);
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
  // npyjs's data matches `type` by NPY_DTYPES; TypeScript cannot follow that table.
  return { type, data: data as Tensor['data'], dims: array.shape } as Tensor;
}

/** How `run` got one input: where from, the shape it used and, if random, its symbolic sizes. */
export interface InputReport {
  /** `random`, or the `.npy` path it was read from. */
  readonly source: string;
  readonly type: string;
  /** The shape fed. */
  readonly dims: readonly number[];
  /**
   * Random inputs only: each symbolic dimension (named as the model names it; an unnamed one as
   * `input[i]`) and the size it got.
   */
  readonly symbolic?: Readonly<Record<string, number>>;
  /** Which of `symbolic` were guessed (no `--dim` for them): pin them with `--dim name=N`. */
  readonly guessed?: readonly string[];
}

/**
 * Builds the feeds for `run`: each input from its `.npy` file, or random where the user
 * said `random` or gave nothing. Names that are not inputs are passed on, so validation
 * reports them as unknown inputs. `read`: files already read (the trial's feeds), not read again.
 * A `--dim` no input has is refused (listing those there are), and so is a random input over
 * core's `MAX_GENERATED_BYTES`, before it is allocated.
 */
export async function buildFeeds(
  inputs: readonly TensorInfo[],
  specs: ReadonlyMap<string, string>,
  dims: ReadonlyMap<string, number>,
  read: Feeds = {},
): Promise<{ feeds: Feeds; reports: Record<string, InputReport> }> {
  asDimFlag(() => checkDimNames(inputs, dims.keys(), 'trial.dims'));
  const fromFile = async (name: string, source: string) =>
    read[name] ?? (await readNpy(name, source));
  const feeds: Record<string, Tensor> = {};
  const reports: Record<string, InputReport> = {};
  let seed = 1;
  for (const info of inputs) {
    const source = specs.get(info.name) ?? 'random';
    const tensor =
      source === 'random'
        ? asDimFlag(() => randomTensor(info, dims, seed++, '--dim'))
        : await fromFile(info.name, source);
    feeds[info.name] = tensor;
    reports[info.name] =
      source === 'random'
        ? { ...reportOf(source, tensor), ...symbolicSizes(info, tensor, dims) }
        : reportOf(source, tensor);
  }
  for (const [name, source] of specs) {
    if (!(name in feeds)) {
      feeds[name] =
        source === 'random'
          ? { type: 'float32', data: new Float32Array(1), dims: [1] }
          : await fromFile(name, source);
      reports[name] = reportOf(source, feeds[name]);
    }
  }
  return { feeds, reports };
}

function reportOf(source: string, tensor: Tensor): InputReport {
  return { source, type: tensor.type, dims: tensor.dims };
}

/**
 * The sizes a random input's symbolic dimensions got, read back from the tensor `randomTensor`
 * made (so the guess rule lives in one place, core's `guessDim`), and which were guessed.
 */
function symbolicSizes(
  info: TensorInfo,
  tensor: Tensor,
  dims: ReadonlyMap<string, number>,
): Pick<InputReport, 'symbolic' | 'guessed'> {
  const symbolic: Record<string, number> = {};
  const guessed: string[] = [];
  for (const [i, d] of (info.shape ?? []).entries()) {
    const name = dimName(info, d, i);
    if (name === undefined) continue;
    symbolic[name] = tensor.dims[i] as number;
    if (!dims.has(name)) guessed.push(name);
  }
  if (guessed.length === 0) return Object.keys(symbolic).length > 0 ? { symbolic } : {};
  return { symbolic, guessed };
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

/**
 * Runs `f`, reporting a `trial.dims` option error (core's name for what `--dim` sets) as one of
 * `--dim`, so the message names the flag the user typed. For loads: `.catch(dimFlagError)`.
 */
export function asDimFlag<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    return dimFlagError(error);
  }
}

/** Rethrows `error`, as a `--dim` error when it is about `trial.dims`. */
export function dimFlagError(error: unknown): never {
  if (InvalidOptionError.isInstance(error) && error.option.startsWith('trial.dims')) {
    throw new InvalidOptionError('--dim', error.reason);
  }
  throw error;
}
