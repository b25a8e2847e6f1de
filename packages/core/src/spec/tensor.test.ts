import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/errors.js';
import { tensor } from './tensor.js';

describe('tensor()', () => {
  it.each([
    [
      'data shorter than dims',
      () => tensor('float32', new Float32Array(3), [2, 2]),
      '4 elements for dims [2, 2]',
      '3 elements of data',
    ],
    [
      'the wrong storage',
      () => tensor('float32', new Float64Array(2) as never),
      'Float32Array data for dtype float32',
      'Float64Array data',
    ],
    [
      'a plain array',
      () => tensor('int64', [1, 2] as never),
      'BigInt64Array data for dtype int64',
      'Array data',
    ],
    [
      'negative dims',
      () => tensor('uint8', new Uint8Array(0), [-1, 0]),
      'dims as an array of whole numbers ≥ 0',
      'dims [-1,0]',
    ],
    [
      'fractional dims',
      () => tensor('uint8', new Uint8Array(1), [0.5, 2]),
      'dims as an array of whole numbers ≥ 0',
      'dims [0.5,2]',
    ],
    [
      'dims that are not an array',
      () => tensor('uint8', new Uint8Array(1), 1 as never),
      'dims as an array of whole numbers ≥ 0',
      'dims 1',
    ],
    [
      'an unknown dtype',
      () => tensor('float8' as never, new Uint8Array(1) as never),
      'a dtype',
      '"float8"',
    ],
  ])('refuses %s with INVALID_INPUT', (_what, make, expected, actual) => {
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as InvalidInputError).expected).toContain(expected);
    expect((error as InvalidInputError).actual).toBe(actual);
  });

  it('builds a tensor whose dims default to the data length', () => {
    expect(tensor('int32', Int32Array.of(1, 2, 3))).toEqual({
      type: 'int32',
      data: Int32Array.of(1, 2, 3),
      dims: [3],
    });
  });
});
