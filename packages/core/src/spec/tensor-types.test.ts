import { describe, expect, expectTypeOf, it } from 'vitest';
import { type Tensor, type TensorOf, tensor } from './tensor.js';

/**
 * A tensor's `type` narrows its `data`: these assertions are checked by the type-checker (the
 * package's typecheck runs over test files), and fail to compile if `Tensor` is not a union.
 */
describe('Tensor narrows by type', () => {
  it('gives the storage of the dtype checked', () => {
    const outputs: Record<string, Tensor> = {
      y: tensor('float32', new Float32Array([1, 2]), [2]),
      i: tensor('int64', BigInt64Array.of(3n), [1]),
    };
    const y = outputs.y as Tensor;
    if (y.type === 'float32') {
      expectTypeOf(y.data).toEqualTypeOf<Float32Array>();
      expect(y.data[1]).toBe(2);
    }
    const i = outputs.i as Tensor;
    if (i.type === 'int64') {
      expectTypeOf(i.data).toEqualTypeOf<BigInt64Array>();
      expect(i.data[0]).toBe(3n);
    }
    expectTypeOf(tensor('uint8', new Uint8Array(1))).toEqualTypeOf<TensorOf<'uint8'>>();
  });
});
