import { describe, expect, it } from 'vitest';
import { bytesSource } from './byte-source.js';
import { checkGgufHeader } from './gguf-header.js';

/** A GGUF v3 header with the given counts, followed by `rest`. */
function gguf(tensors: bigint, kvs: bigint, rest: number[] = []): Uint8Array {
  const bytes = new Uint8Array(24 + rest.length);
  const view = new DataView(bytes.buffer);
  bytes.set([0x47, 0x47, 0x55, 0x46]);
  view.setUint32(4, 3, true);
  view.setBigUint64(8, tensors, true);
  view.setBigUint64(16, kvs, true);
  bytes.set(rest, 24);
  return bytes;
}

/** One KV entry: key "a", type u32, value `value`. */
const kvU32 = (value: number) => [1, 0, 0, 0, 0, 0, 0, 0, 0x61, 4, 0, 0, 0, value, 0, 0, 0];

const check = (bytes: Uint8Array) => checkGgufHeader(bytesSource(bytes));

describe('checkGgufHeader', () => {
  it('accepts an empty but well-formed GGUF and one KV entry', async () => {
    expect(await check(gguf(0n, 0n))).toEqual({ kind: 'gguf', version: 3 });
    expect(await check(gguf(0n, 1n, kvU32(7)))).toEqual({ kind: 'gguf', version: 3 });
  });

  it.each([
    [
      'tensor_count 2^63−1',
      gguf(2n ** 63n - 1n, 0n),
      /tensor_count at byte 8: 9223372036854775807 is impossible/,
    ],
    ['kv_count 2^32', gguf(0n, 2n ** 32n), /kv_count at byte 16: 4294967296 is impossible/],
    [
      'kv_count one more than present',
      gguf(0n, 2n, kvU32(7)),
      /kv_count at byte 16: 2 is impossible/,
    ],
    [
      'a key length past the end',
      gguf(0n, 1n, [0xff, 0xff, 0, 0, 0, 0, 0, 0, 0x61, ...new Array(20).fill(0)]),
      /key #0 length at byte 24/,
    ],
    [
      'an unknown value type',
      gguf(0n, 1n, [1, 0, 0, 0, 0, 0, 0, 0, 0x61, 13, 0, 0, 0, 0]),
      /unknown value type 13/,
    ],
  ])('refuses %s, naming the field and its offset', async (_name, bytes, reason) => {
    const result = await check(bytes);
    expect(result.kind).toBe('damaged');
    expect(result.kind === 'damaged' && result.reason).toMatch(reason);
  });
});
