import { InvalidInputError } from '../errors/errors.js';

/** Element types a tensor can hold. The names match ONNX Runtime's tensor types. */
export type DType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  | 'string';

/** Typed storage for each {@link DType}. `float16` travels as raw bits in a `Uint16Array`. */
export interface TensorDataByType {
  float32: Float32Array;
  float64: Float64Array;
  float16: Uint16Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  bool: Uint8Array;
  string: string[];
}

export type TensorData = TensorDataByType[DType];

/**
 * An engine-neutral tensor: element type, flat row-major data and dimensions.
 * `onnxruntime-node`'s `Tensor` satisfies this shape, so outputs pass through uncopied.
 */
export type Tensor<T extends DType = DType> = T extends DType ? TensorOf<T> : never;

/** A tensor of one element type. {@link Tensor} is the union of these, so `.type` narrows `.data`. */
export interface TensorOf<T extends DType> {
  readonly type: T;
  readonly data: TensorDataByType[T];
  readonly dims: readonly number[];
}

/** Named inputs for one inference. */
export type Feeds = Readonly<Record<string, Tensor>>;

/**
 * One dimension of a declared shape: a fixed size, a symbolic name (`"batch"`), or
 * `null` for a dynamic dimension without a name.
 */
export type Dim = number | string | null;

/** What a model declares about one of its inputs or outputs. */
export interface TensorInfo {
  readonly name: string;
  /** `'unknown'` when the engine cannot say (non-tensor values such as sequences or maps). */
  readonly type: DType | 'unknown';
  /** `null` when the rank itself is unknown. */
  readonly shape: readonly Dim[] | null;
}

const ARRAY_CONSTRUCTORS = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
} as const;

/** Every tensor element type, in a stable order. */
export const DTYPES: readonly DType[] = [...(Object.keys(ARRAY_CONSTRUCTORS) as DType[]), 'string'];

/** True when `data` is the storage `type` expects (see {@link TensorDataByType}). */
export function dataMatchesType(type: DType, data: unknown): boolean {
  if (type === 'string') return Array.isArray(data);
  const ctor = ARRAY_CONSTRUCTORS[type];
  return ctor !== undefined && data instanceof ctor;
}

/** The name of the storage a dtype expects, for error messages. */
export function storageName(type: DType): string {
  return type === 'string' ? 'string[]' : ARRAY_CONSTRUCTORS[type].name;
}

/** Describes the storage actually passed, for error messages. */
export function describeData(data: unknown): string {
  if (Array.isArray(data)) return 'Array';
  if (ArrayBuffer.isView(data)) return data.constructor.name;
  return data === null ? 'null' : typeof data;
}

/** Allocates zero-filled storage for `count` elements of `type`. */
export function allocate<T extends DType>(type: T, count: number): TensorDataByType[T] {
  if (type === 'string') return new Array<string>(count).fill('') as TensorDataByType[T];
  const ctor = ARRAY_CONSTRUCTORS[type as Exclude<DType, 'string'>];
  return new ctor(count) as TensorDataByType[T];
}

/** Bytes one element of a numeric dtype takes in its storage. */
export function elementBytes(type: Exclude<DType, 'string'>): number {
  return ARRAY_CONSTRUCTORS[type].BYTES_PER_ELEMENT;
}

/** Product of dimensions; 1 for a scalar (`[]`). */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/**
 * Builds a {@link Tensor}, checking that the dtype is known, the storage is the one it needs,
 * and the dimensions are whole numbers whose product is the data's length. A mismatch throws
 * `InvalidInputError` (code `INVALID_INPUT`) saying what was expected.
 */
export function tensor<T extends DType>(
  type: T,
  data: TensorDataByType[T],
  dims?: readonly number[],
): Tensor<T> {
  const input = '(tensor)';
  if (!(DTYPES as readonly unknown[]).includes(type)) {
    throw new InvalidInputError(input, `a dtype (${DTYPES.join(', ')})`, JSON.stringify(type));
  }
  if (!dataMatchesType(type, data)) {
    throw new InvalidInputError(
      input,
      `${storageName(type)} data for dtype ${type}`,
      `${describeData(data)} data`,
    );
  }
  const shape = dims ?? [data.length];
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new InvalidInputError(
      input,
      'dims as an array of whole numbers ≥ 0',
      `dims ${describeDims(shape)}`,
    );
  }
  const count = elementCount(shape);
  if (count !== data.length) {
    throw new InvalidInputError(
      input,
      `${count} elements for dims [${shape.join(', ')}]`,
      `${data.length} elements of data`,
    );
  }
  return { type, data, dims: shape } as unknown as Tensor<T>;
}

function describeDims(dims: unknown): string {
  try {
    return JSON.stringify(dims) ?? String(dims);
  } catch {
    return String(dims);
  }
}

/** Formats a declared shape as `[batch, 3, ?]`. */
export function formatShape(shape: readonly Dim[] | null): string {
  if (shape === null) return '[any rank]';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}
