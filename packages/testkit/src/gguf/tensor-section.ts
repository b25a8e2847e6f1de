/** ggml's type id for F32 tensors. */
const GGML_TYPE_F32 = 0;

/** An F32 tensor to write. `dims` is in GGUF order: `dims[0]` is the innermost (row) length. */
export interface GgufTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/** Rounds `offset` up to a multiple of `alignment`. */
export function alignUp(offset: number, alignment: number): number {
  return Math.ceil(offset / alignment) * alignment;
}

/**
 * Encodes what follows the metadata KV section: the tensor infos (name as u64 length + UTF-8,
 * n_dims u32, dims u64[], type u32, data offset u64), zero padding up to an `alignment`
 * boundary of the whole file, then each tensor's little-endian data at an aligned offset.
 * `start` is the file offset where this section begins, i.e. the metadata's length.
 */
export function encodeTensorSection(
  tensors: readonly GgufTensor[],
  start: number,
  alignment: number,
): Uint8Array {
  const encoder = new TextEncoder();
  let infosLength = 0;
  let dataLength = 0;
  const entries = tensors.map((tensor) => {
    const count = tensor.dims.reduce((product, dim) => product * dim, 1);
    if (count !== tensor.data.length) {
      throw new Error(`${tensor.name}: dims hold ${count} values, data ${tensor.data.length}`);
    }
    const name = encoder.encode(tensor.name);
    infosLength += 8 + name.length + 4 + 8 * tensor.dims.length + 4 + 8;
    const offset = alignUp(dataLength, alignment);
    dataLength = offset + tensor.data.byteLength;
    return { ...tensor, encodedName: name, offset };
  });
  const dataStart = alignUp(start + infosLength, alignment) - start;
  const bytes = new Uint8Array(dataStart + dataLength);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const { encodedName, dims, data, offset } of entries) {
    view.setBigUint64(at, BigInt(encodedName.length), true);
    bytes.set(encodedName, at + 8);
    at += 8 + encodedName.length;
    view.setUint32(at, dims.length, true);
    at += 4;
    for (const dim of dims) {
      view.setBigUint64(at, BigInt(dim), true);
      at += 8;
    }
    view.setUint32(at, GGML_TYPE_F32, true);
    view.setBigUint64(at + 4, BigInt(offset), true);
    at += 12;
    for (let i = 0; i < data.length; i++) {
      view.setFloat32(dataStart + offset + 4 * i, data[i] ?? 0, true);
    }
  }
  return bytes;
}
