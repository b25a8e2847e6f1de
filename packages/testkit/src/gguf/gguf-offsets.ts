/**
 * Where a metadata key or tensor info sits in GGUF bytes, for patching single fields of a
 * valid file (a count, a length, a dimension) into hostile values. Finds the key by its
 * u64 length prefix followed by its UTF-8 bytes, so `a.b` never matches inside `a.b_c`.
 * Returns the offset of the length prefix; throws when the name is absent.
 */
export function ggufNameOffset(bytes: Uint8Array, name: string): number {
  const encoded = new TextEncoder().encode(name);
  const needle = new Uint8Array(8 + encoded.length);
  new DataView(needle.buffer).setBigUint64(0, BigInt(encoded.length), true);
  needle.set(encoded, 8);
  const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle);
  if (at < 0) throw new Error(`${name} is not in these GGUF bytes`);
  return at;
}

/** Offset of the first byte after a metadata key or tensor name (its type or n_dims). */
export function ggufAfterName(bytes: Uint8Array, name: string): number {
  return ggufNameOffset(bytes, name) + 8 + new TextEncoder().encode(name).length;
}

/** A copy of `bytes` with a little-endian u32 or u64 written at `offset`. */
export function patchGguf(
  bytes: Uint8Array,
  offset: number,
  value: number | bigint,
  width: 4 | 8,
): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  if (width === 4) view.setUint32(offset, Number(value), true);
  else view.setBigUint64(offset, BigInt(value), true);
  return copy;
}
