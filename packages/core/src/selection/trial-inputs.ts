import { InvalidInputError, InvalidOptionError } from '../errors/errors.js';
import {
  allocate,
  type Dim,
  elementBytes,
  type Feeds,
  formatShape,
  type Tensor,
  type TensorInfo,
} from '../spec/tensor.js';
import { didYouMean } from '../validation/did-you-mean.js';

/** What the caller may give for a selection trial (`load(model, { trial })`). */
export interface TrialOptions {
  /**
   * Sample inputs of the application's real shapes: the trial runs these (inputs left out are
   * generated as without them).
   */
  readonly feeds?: Feeds;
  /**
   * Sizes for symbolic dimensions (`{ batch: 1, sequence: 128 }`) of generated inputs; an
   * unnamed one by its input and index (`'input[1]'`). A name no input has is refused.
   */
  readonly dims?: Readonly<Record<string, number>>;
  /** Measure again even when verdicts for this model are cached. */
  readonly refresh?: boolean;
  /** Bound on any one trial run, in ms; a candidate whose run outlives it is passed over. Default 30 000. */
  readonly runTimeoutMs?: number;
}

/**
 * The size a symbolic dimension gets when nobody gave one (the trace says so): 1 for a batch —
 * a dimension named like one, or the first of an input of rank 2 or more — and 256 for anything
 * else (a sequence, an image side): big enough for convolutions and windowed transforms to run
 * (Silero VAD's STFT needs more than 128 samples), small enough to be quick.
 */
export function guessDim(name: string, index = 0, rank = 1): number {
  return BATCH_NAME.test(name) || (index === 0 && rank >= 2) ? 1 : 256;
}

const BATCH_NAME = /batch|^[nb]$|^$/i;

/**
 * The feeds a trial runs: the caller's sample feeds, and for each input they leave out seeded
 * random values shaped as the model declares, symbolic dimensions from `dims` or
 * {@link guessDim} (each guess reported).
 */
export function trialFeeds(
  inputs: readonly TensorInfo[],
  trial: TrialOptions = {},
): { feeds: Feeds; guessed: Record<string, number> } {
  const guessed: Record<string, number> = {};
  const dims = new Map(Object.entries(trial.dims ?? {}));
  checkDimNames(inputs, dims.keys(), 'trial.dims');
  const feeds: Record<string, Tensor> = { ...trial.feeds };
  let seed = 1;
  for (const info of inputs) {
    if (info.name in feeds) continue;
    for (const [i, d] of (info.shape ?? []).entries()) {
      const name = dimName(info, d, i);
      if (name === undefined || dims.has(name)) continue;
      guessed[name] = guessDim(typeof d === 'string' ? d : '', i, info.shape?.length);
    }
    feeds[info.name] = randomTensor(info, dims, seed++, 'trial.dims');
  }
  return { feeds, guessed };
}

/**
 * The name a size for a symbolic dimension is given under: its own (`batch`), or for an
 * unnamed one the input's name and index (`input[1]`); `undefined` for a fixed dimension.
 */
export function dimName(info: TensorInfo, dim: Dim, index: number): string | undefined {
  if (typeof dim === 'number') return undefined;
  return dim === null || dim === '' ? `${info.name}[${index}]` : dim;
}

/**
 * The most bytes one generated input may take (1 GiB): a size beyond it is a mistyped
 * dimension (`--dim sequence=1e9`), refused before anything is allocated.
 */
export const MAX_GENERATED_BYTES = 1024 ** 3;

/**
 * Refuses sizes for symbolic dimensions none of the model's inputs has (a typo would otherwise
 * be ignored and the dimension guessed), listing the ones it has. `option` names the option
 * in the error (`trial.dims`, `--dim`).
 */
export function checkDimNames(
  inputs: readonly TensorInfo[],
  names: Iterable<string>,
  option: string,
): void {
  const known = new Set<string>();
  for (const info of inputs) {
    for (const [i, d] of (info.shape ?? []).entries()) {
      const name = dimName(info, d, i);
      if (name !== undefined) known.add(name);
    }
  }
  for (const name of names) {
    if (known.has(name)) continue;
    const has =
      known.size > 0
        ? `its symbolic dimensions are ${[...known].join(', ')}`
        : 'it has none: every input dimension is fixed';
    throw new InvalidOptionError(
      `${option}.${name}`,
      `the model's inputs have no symbolic dimension "${name}"${didYouMean(name, known)}; ${has}`,
    );
  }
}

/** `input float32 [1, 576], sr int64 []`: the shapes a trial ran, for the trace and cache keys. */
export function describeFeeds(feeds: Feeds): string {
  return Object.entries(feeds)
    .map(([name, t]) => `${name} ${t.type} ${formatShape(t.dims)}`)
    .join(', ');
}

/**
 * A tensor of seeded pseudo-random values shaped as `info` declares, symbolic dimensions from
 * `dims` (else {@link guessDim}). Floats in [-1, 1); integers in [0, 10); booleans 0/1.
 */
export function randomTensor(
  info: TensorInfo,
  dims: ReadonlyMap<string, number>,
  seed: number,
  option = 'dims',
): Tensor {
  if (info.type === 'unknown' || info.type === 'string' || info.shape === null) {
    throw new InvalidInputError(
      info.name,
      'a numeric tensor of known rank (random values cannot be made for anything else)',
      `${info.type} ${info.shape === null ? 'of unknown rank' : ''}`.trim(),
    );
  }
  const rank = info.shape.length;
  const shape = info.shape.map((d, i) =>
    typeof d === 'number' ? d : (dims.get(dimName(info, d, i) ?? '') ?? guessDim(d ?? '', i, rank)),
  );
  const count = shape.reduce((a, b) => a * b, 1);
  checkGeneratedSize(info, shape, count * elementBytes(info.type), option);
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
  // `allocate` gave the storage `info.type` needs; the union cannot see it through a variable.
  return { type: info.type, data, dims: shape } as Tensor;
}

/** Refuses, before allocating, a generated input larger than {@link MAX_GENERATED_BYTES}. */
function checkGeneratedSize(
  info: TensorInfo,
  shape: readonly number[],
  bytes: number,
  option: string,
): void {
  if (bytes <= MAX_GENERATED_BYTES) return;
  throw new InvalidOptionError(
    option,
    `input "${info.name}" would be ${info.type} [${shape.join(', ')}], ${formatBytes(bytes)}, over the ${formatBytes(MAX_GENERATED_BYTES)} a generated input may take: give its symbolic dimensions smaller sizes`,
  );
}

function formatBytes(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return gib >= 1
    ? `${Number(gib.toPrecision(3))} GiB`
    : `${Number((bytes / 1024 ** 2).toPrecision(3))} MiB`;
}
