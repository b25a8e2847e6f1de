import { type ByteSource, readVarint } from '@npu-first/core';

/** One protobuf field: its number, wire type, and where its value sits. */
export interface WireField {
  readonly field: number;
  readonly wire: number;
  /** The varint value (wire type 0). */
  readonly varint?: number;
  /** Start and length of a length-delimited value (wire type 2). */
  readonly start: number;
  readonly length: number;
}

/** Thrown when the bytes are not the protobuf they should be (truncated, damaged). */
export class WireError extends Error {}

export { readVarint };

/**
 * Walks the fields of one message in `[start, end)`, reading only each field's tag and
 * length; payloads are skipped unless the caller reads them.
 */
export async function* wireFields(
  bytes: ByteSource,
  start: number,
  end: number,
): AsyncGenerator<WireField> {
  let offset = start;
  while (offset < end) {
    const head = await bytes.read(offset, 20);
    const tag = readVarint(head);
    if (!tag) throw new WireError(`the bytes end inside a field header at byte ${offset}`);
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    const after = offset + tag.length;
    if (wire === 0) {
      const v = readVarint(head.subarray(tag.length));
      if (!v) throw new WireError(`the bytes end inside field ${field} at byte ${offset}`);
      yield { field, wire, varint: v.value, start: after, length: v.length };
      offset = after + v.length;
    } else if (wire === 2) {
      const len = readVarint(head.subarray(tag.length));
      if (!len) throw new WireError(`the bytes end inside field ${field} at byte ${offset}`);
      const valueStart = after + len.length;
      if (valueStart + len.value > end) {
        throw new WireError(`field ${field} at byte ${offset} runs past the end of its message`);
      }
      yield { field, wire, start: valueStart, length: len.value };
      offset = valueStart + len.value;
    } else if (wire === 1 || wire === 5) {
      const width = wire === 1 ? 8 : 4;
      yield { field, wire, start: after, length: width };
      offset = after + width;
    } else {
      throw new WireError(`invalid protobuf wire type ${wire} at byte ${offset}`);
    }
  }
  if (offset !== end) throw new WireError(`a field runs past the end of its message at ${offset}`);
}

/** Reads a length-delimited field's value as UTF-8 text. */
export async function readString(bytes: ByteSource, field: WireField): Promise<string> {
  return new TextDecoder().decode(await bytes.read(field.start, field.length));
}
