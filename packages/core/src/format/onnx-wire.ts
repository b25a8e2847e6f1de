import type { ByteSource } from './byte-source.js';

/**
 * A walk over the top-level fields of an ONNX `ModelProto` in protobuf wire format.
 * It reads a few bytes per field (each field's tag and length) and skips the payloads, so
 * a multi-gigabyte model costs a handful of reads — enough to tell an ONNX model from
 * other bytes and to catch a truncated file before an engine parses it.
 */

/** Field number → wire type, from onnx.proto's `ModelProto`. */
const MODEL_PROTO_FIELDS: ReadonlyMap<number, number> = new Map([
  [1, 0], // ir_version
  [2, 2], // producer_name
  [3, 2], // producer_version
  [4, 2], // domain
  [5, 0], // model_version
  [6, 2], // doc_string
  [7, 2], // graph
  [8, 2], // opset_import
  [14, 2], // metadata_props
  [20, 2], // training_info
  [21, 2], // configuration
  [25, 2], // functions
]);
const GRAPH_FIELD = 7;
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

export type OnnxWalk =
  | { kind: 'onnx'; irVersion: number | undefined }
  /** Starts like an ONNX model but ends early or breaks off: `reason` says where. */
  | { kind: 'damaged'; reason: string }
  | { kind: 'not-onnx'; reason: string };

interface Varint {
  value: number;
  length: number;
}

/** Decodes a protobuf varint from `bytes`; `undefined` when the bytes end before it does. */
export function readVarint(bytes: Uint8Array): Varint | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < bytes.length && i < 10; i++) {
    const b = bytes[i] as number;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return { value, length: i + 1 };
  }
  return undefined;
}

export async function walkOnnx(source: ByteSource): Promise<OnnxWalk> {
  let offset = 0;
  let fields = 0;
  let sawGraph = false;
  let irVersion: number | undefined;
  while (offset < source.size) {
    const head = await source.read(offset, 20);
    const tag = readVarint(head);
    const where = `at byte ${offset} of ${source.size}`;
    if (!tag) return broken(fields, `the file ends inside a field header ${where}`);
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    const expected = MODEL_PROTO_FIELDS.get(field);
    if (fields === 0 && expected !== wire) {
      return { kind: 'not-onnx', reason: 'the first bytes are not an ONNX ModelProto field' };
    }
    let next = offset + tag.length;
    if (wire === WIRE_VARINT) {
      const v = readVarint(head.subarray(tag.length));
      if (!v) return broken(fields, `the file ends inside field ${field} ${where}`);
      if (field === 1) irVersion = v.value;
      next += v.length;
    } else if (wire === WIRE_LEN) {
      const len = readVarint(head.subarray(tag.length));
      if (!len) return broken(fields, `the file ends inside field ${field} ${where}`);
      next += len.length + len.value;
      if (field === GRAPH_FIELD) sawGraph = true;
    } else if (wire === WIRE_FIXED64) {
      next += 8;
    } else if (wire === WIRE_FIXED32) {
      next += 4;
    } else {
      return broken(fields, `invalid protobuf wire type ${wire} ${where}`);
    }
    if (next > source.size) {
      const missing = next - source.size;
      const what = field === GRAPH_FIELD ? 'the graph' : `field ${field}`;
      return broken(
        fields + 1,
        `truncated: ${what} needs ${missing} more bytes than the file holds (${source.size} bytes)`,
      );
    }
    offset = next;
    fields++;
  }
  if (!sawGraph)
    return broken(fields, 'no graph: the file holds ONNX header fields but no GraphProto');
  return { kind: 'onnx', irVersion };
}

function broken(fieldsRead: number, reason: string): OnnxWalk {
  // A single readable field is weak evidence; call such files "not ONNX" rather than damaged ONNX.
  return fieldsRead >= 1 ? { kind: 'damaged', reason } : { kind: 'not-onnx', reason };
}
