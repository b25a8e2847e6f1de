import {
  allocate,
  type DType,
  elementBytes,
  elementCount,
  type Feeds,
  InvalidInputError,
  type Tensor,
  tensor,
} from '@npu-first/core';

/** A tensor as JSON: numbers (strings for `string`, `true`/`false` allowed for `bool`) or base64 bytes. */
export interface JsonTensor {
  readonly dtype: DType;
  readonly dims: readonly number[];
  readonly data: readonly (number | string | boolean)[] | string;
}

/** Refused before anything is allocated: 2^28 elements is 1 GiB of float32. */
const MAX_ELEMENTS = 2 ** 28;

/**
 * Decodes the request's named tensors. Every mismatch — element count against dims, a value
 * the dtype cannot hold, base64 of the wrong length — is `INVALID_INPUT` naming the input.
 */
export function decodeFeeds(inputs: Readonly<Record<string, JsonTensor>>): Feeds {
  const feeds: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) feeds[name] = decodeTensor(name, t);
  return feeds;
}

function decodeTensor(name: string, t: JsonTensor): Tensor {
  const count = elementCount(t.dims);
  const where = `inputs.${name}`;
  if (count > MAX_ELEMENTS)
    throw new InvalidInputError(
      where,
      `at most ${MAX_ELEMENTS} elements`,
      `dims [${t.dims.join(', ')}]`,
    );
  if (typeof t.data === 'string') {
    if (t.dtype === 'string')
      throw new InvalidInputError(
        `${where}.data`,
        'an array of strings for dtype "string"',
        'a base64 string',
      );
    const bytes = Buffer.from(t.data, 'base64');
    const want = count * elementBytes(t.dtype);
    if (bytes.length !== want)
      throw new InvalidInputError(
        `${where}.data`,
        `${want} bytes of base64 (${count} × ${t.dtype} for dims [${t.dims.join(', ')}])`,
        `${bytes.length} bytes`,
      );
    const data = allocate(t.dtype, count) as Exclude<Tensor['data'], string[]>;
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(bytes);
    return tensor(t.dtype, data as never, t.dims);
  }
  if (t.data.length !== count)
    throw new InvalidInputError(
      `${where}.data`,
      `${count} values for dims [${t.dims.join(', ')}]`,
      `${t.data.length}`,
    );
  if (t.dtype === 'string') {
    const bad = t.data.findIndex((v) => typeof v !== 'string');
    if (bad >= 0)
      throw new InvalidInputError(`${where}.data[${bad}]`, 'a string', typeof t.data[bad]);
    return tensor('string', [...(t.data as string[])], t.dims);
  }
  const data = allocate(t.dtype, count);
  const big = t.dtype === 'int64' || t.dtype === 'uint64';
  for (let i = 0; i < count; i++) {
    const v = t.data[i];
    const n = t.dtype === 'bool' && typeof v === 'boolean' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n) || (!isFloat(t.dtype) && !Number.isInteger(n)))
      throw new InvalidInputError(
        `${where}.data[${i}]`,
        isFloat(t.dtype) ? 'a finite number' : `an integer for ${t.dtype}`,
        JSON.stringify(v),
      );
    const range = RANGES[t.dtype];
    if (range && (n < range[0] || n > range[1]))
      throw new InvalidInputError(
        `${where}.data[${i}]`,
        `a ${t.dtype} value in [${range[0]}, ${range[1]}]`,
        String(n),
      );
    (data as unknown as (number | bigint)[])[i] = big ? BigInt(n) : n;
  }
  return tensor(t.dtype, data as never, t.dims);
}

/** What each integer dtype holds; a value outside is refused, never wrapped. */
const RANGES: Partial<Record<DType, readonly [number, number]>> = {
  bool: [0, 1],
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

const isFloat = (dtype: DType) => dtype === 'float32' || dtype === 'float64' || dtype === 'float16';

/** An output tensor as JSON; 64-bit integers beyond 2^53 become strings so nothing is rounded. */
export function encodeTensor(t: Tensor, encoding: 'json' | 'base64'): JsonTensor {
  const dims = [...t.dims];
  if (t.type === 'string') return { dtype: t.type, dims, data: [...t.data] };
  if (encoding === 'base64') {
    const d = t.data;
    return {
      dtype: t.type,
      dims,
      data: Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64'),
    };
  }
  const data: (number | string)[] = [];
  for (const v of t.data as Iterable<number | bigint>)
    data.push(
      typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v,
    );
  return { dtype: t.type, dims, data };
}
