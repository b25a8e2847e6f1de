import { InvalidInputError } from '../errors/errors.js';
import { allocate, type Feeds, formatShape, type Tensor, type TensorInfo } from '../spec/tensor.js';

/** What the caller may give for a selection trial (`load(model, { trial })`). */
export interface TrialOptions {
  /**
   * Sample inputs of the application's real shapes: the trial runs these (inputs left out are
   * generated as without them).
   */
  readonly feeds?: Feeds;
  /** Sizes for symbolic dimensions (`{ batch: 1, sequence: 128 }`) of generated inputs. */
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
  const feeds: Record<string, Tensor> = { ...trial.feeds };
  let seed = 1;
  for (const info of inputs) {
    if (info.name in feeds) continue;
    for (const [i, d] of (info.shape ?? []).entries()) {
      if (typeof d === 'number' || dims.has(d ?? '')) continue;
      guessed[d ?? `${info.name}[${i}]`] = guessDim(d ?? '', i, info.shape?.length);
    }
    feeds[info.name] = randomTensor(info, dims, seed++);
  }
  return { feeds, guessed };
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
    typeof d === 'number' ? d : (dims.get(d ?? '') ?? guessDim(d ?? '', i, rank)),
  );
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
  // `allocate` gave the storage `info.type` needs; the union cannot see it through a variable.
  return { type: info.type, data, dims: shape } as Tensor;
}
