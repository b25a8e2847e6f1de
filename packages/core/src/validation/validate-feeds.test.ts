import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/errors.js';
import type { Tensor, TensorInfo } from '../spec/tensor.js';
import { validateFeeds } from './validate-feeds.js';

const inputs: TensorInfo[] = [
  { name: 'x', type: 'float32', shape: ['batch', 3] },
  { name: 'ids', type: 'int64', shape: ['batch'] },
  { name: 'any', type: 'float32', shape: null },
];
const f32 = (n: number, dims: number[]): Tensor => ({
  type: 'float32',
  data: new Float32Array(n),
  dims,
});
const i64 = (n: number, dims: number[]): Tensor => ({
  type: 'int64',
  data: new BigInt64Array(n),
  dims,
});
const good = () => ({ x: f32(6, [2, 3]), ids: i64(2, [2]), any: f32(1, [1, 1, 1]) });

function failure(feeds: unknown): InvalidInputError {
  try {
    validateFeeds(inputs, feeds as never);
  } catch (error) {
    if (InvalidInputError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected INVALID_INPUT');
}

describe('validateFeeds', () => {
  it('accepts feeds that match, any rank where the rank is unknown', () => {
    expect(() => validateFeeds(inputs, good())).not.toThrow();
  });

  it('names a missing input', () => {
    const { ids: _ids, ...feeds } = good();
    expect(failure(feeds)).toMatchObject({ input: 'ids', actual: 'no feed' });
  });

  it('names an unknown input and lists the known ones', () => {
    const error = failure({ ...good(), mask: f32(1, [1]) });
    expect(error.input).toBe('mask');
    expect(error.expected).toContain('"x", "ids", "any"');
  });

  it('catches a wrong dtype and storage that does not match the dtype', () => {
    expect(failure({ ...good(), ids: f32(2, [2]) })).toMatchObject({
      input: 'ids',
      expected: 'dtype int64',
      actual: 'dtype float32',
    });
    expect(
      failure({ ...good(), x: { type: 'float32', data: new Float64Array(6), dims: [2, 3] } }),
    ).toMatchObject({
      input: 'x',
      actual: 'Float64Array data',
    });
  });

  it('catches a wrong rank and a static dimension that differs', () => {
    expect(failure({ ...good(), x: f32(6, [6]) })).toMatchObject({
      input: 'x',
      expected: 'rank 2 [batch, 3]',
    });
    expect(failure({ ...good(), x: f32(8, [2, 4]) }).expected).toContain('dimension 1 to be 3');
  });

  it('requires one value per symbolic dimension across inputs', () => {
    const error = failure({ ...good(), ids: i64(3, [3]) });
    expect(error.input).toBe('ids');
    expect(error.expected).toContain('"batch") to be 2, as in input "x"');
  });

  it('catches data whose length does not match the dims, and bad dims', () => {
    expect(failure({ ...good(), x: f32(5, [2, 3]) })).toMatchObject({
      input: 'x',
      actual: '5 elements of data',
    });
    expect(failure({ ...good(), x: f32(6, [2, -3]) }).input).toBe('x');
    expect(failure({ ...good(), x: { data: new Float32Array(6) } }).expected).toBe(
      'a tensor { type, data, dims }',
    );
    expect(failure(null).input).toBe('(feeds)');
  });
});
