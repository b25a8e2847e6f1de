import { tensor } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import { decodeFeeds, encodeTensor } from './tensor-json.js';

describe('tensors as JSON', () => {
  it('decodes numbers and base64 into the storage each dtype needs', () => {
    const bytes = Buffer.from(new Float32Array([1.5, -2]).buffer).toString('base64');
    const feeds = decodeFeeds({
      a: { dtype: 'float32', dims: [2], data: bytes },
      b: { dtype: 'int64', dims: [1], data: [16000] },
      c: { dtype: 'bool', dims: [2], data: [true, 0] },
      d: { dtype: 'string', dims: [1], data: ['x'] },
    });
    expect(feeds.a?.data).toEqual(new Float32Array([1.5, -2]));
    expect(feeds.b?.data).toEqual(new BigInt64Array([16000n]));
    expect(feeds.c?.data).toEqual(new Uint8Array([1, 0]));
    expect(feeds.d?.data).toEqual(['x']);
  });

  it('refuses, naming the element, what the dtype cannot hold instead of wrapping it', () => {
    const refused = (dtype: string, data: unknown[]) => {
      try {
        decodeFeeds({ x: { dtype, dims: [data.length], data } as never });
      } catch (error) {
        return (error as { input: string; code: string }).code === 'INVALID_INPUT'
          ? (error as { input: string }).input
          : 'other';
      }
      return 'accepted';
    };
    expect(refused('uint8', [1, 256])).toBe('inputs.x.data[1]');
    expect(refused('int8', [-129])).toBe('inputs.x.data[0]');
    expect(refused('int32', [1.5])).toBe('inputs.x.data[0]');
    expect(refused('float32', ['1'])).toBe('inputs.x.data[0]');
    expect(refused('int64', [2 ** 53])).toBe('inputs.x.data[0]');
    expect(refused('string', [1])).toBe('inputs.x.data[0]');
    expect(refused('float32', [1, 2])).toBe('accepted');
  });

  it('refuses a wrong element count or base64 length, and sizes over the bound before allocating', () => {
    expect(() => decodeFeeds({ x: { dtype: 'float32', dims: [3], data: [1, 2] } })).toThrow(
      /expected 3 values for dims \[3\], got 2/,
    );
    expect(() => decodeFeeds({ x: { dtype: 'float32', dims: [2], data: 'AAAA' } })).toThrow(
      /8 bytes of base64/,
    );
    expect(() => decodeFeeds({ x: { dtype: 'float32', dims: [65536, 65536], data: [] } })).toThrow(
      /at most/,
    );
  });

  it('encodes 64-bit integers beyond 2^53 as strings, so nothing is rounded', () => {
    const big = tensor('int64', new BigInt64Array([5n, 2n ** 60n]), [2]);
    expect(encodeTensor(big, 'json').data).toEqual([5, (2n ** 60n).toString()]);
    const back = Buffer.from(encodeTensor(big, 'base64').data as string, 'base64');
    expect(new BigInt64Array(back.buffer, back.byteOffset, 2)[1]).toBe(2n ** 60n);
  });
});
