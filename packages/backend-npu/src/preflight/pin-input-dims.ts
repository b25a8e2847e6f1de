import { readVarint } from './protobuf-reader.js';

// Field numbers from onnx.proto, along ModelProto.graph.input[].type.tensor_type.shape.dim[].
const PATH = {
  model: { graph: 7 },
  graph: { input: 11 },
  valueInfo: { type: 2 },
  type: { tensor: 1 },
  tensor: { shape: 2 },
  shape: { dim: 1 },
  dim: { value: 1, param: 2 },
} as const;

/**
 * Returns a copy of an ONNX model whose graph inputs have the symbolic dimensions named in
 * `pins` replaced by fixed sizes (`dim_param: "batch"` → `dim_value: 1`), re-encoding only the
 * messages on the way to each changed dimension; every other byte is copied as it is.
 *
 * This is what onnxruntime's `freeDimensionOverrides` does, done on the model itself:
 * onnxruntime-node 1.30 accepts that session option but does not apply it (measured: a
 * session created with `freeDimensionOverrides: { batch: 1 }` still reports `batch` and runs
 * batch 4). OpenVINO pins shapes with `model.reshape()` instead.
 */
export function pinInputDims(
  model: Uint8Array,
  pins: Readonly<Record<string, number>>,
): Uint8Array {
  if (Object.keys(pins).length === 0) return model;
  return rewrite(model, 0, model.length, (field, value) =>
    field === PATH.model.graph ? rewriteGraph(value, pins) : undefined,
  );
}

function rewriteGraph(graph: Uint8Array, pins: Readonly<Record<string, number>>): Uint8Array {
  return rewrite(graph, 0, graph.length, (field, value) =>
    field === PATH.graph.input
      ? nested(value, PATH.valueInfo.type, (type) =>
          nested(type, PATH.type.tensor, (tensor) =>
            nested(tensor, PATH.tensor.shape, (shape) =>
              rewrite(shape, 0, shape.length, (f, dim) =>
                f === PATH.shape.dim ? pinDim(dim, pins) : undefined,
              ),
            ),
          ),
        )
      : undefined,
  );
}

/** Rewrites the length-delimited sub-field `field` of `message` with `change`. */
function nested(
  message: Uint8Array,
  field: number,
  change: (value: Uint8Array) => Uint8Array,
): Uint8Array {
  return rewrite(message, 0, message.length, (f, value) =>
    f === field ? change(value) : undefined,
  );
}

/** A `Dimension` whose `dim_param` is pinned becomes `dim_value`; others stay as they are. */
function pinDim(dim: Uint8Array, pins: Readonly<Record<string, number>>): Uint8Array | undefined {
  let param: string | undefined;
  const rest: Uint8Array[] = [];
  for (const f of fields(dim, 0, dim.length)) {
    if (f.field === PATH.dim.param && f.wire === 2) {
      param = new TextDecoder().decode(dim.subarray(f.valueStart, f.end));
    } else if (f.field !== PATH.dim.value) {
      rest.push(dim.subarray(f.start, f.end));
    }
  }
  const size = param !== undefined ? pins[param] : undefined;
  if (size === undefined) return undefined;
  return concat([encodeVarint(PATH.dim.value * 8), encodeVarint(size), ...rest]);
}

interface RawField {
  readonly field: number;
  readonly wire: number;
  /** Start of the tag, start of the value, end of the field. */
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

/**
 * Copies the message in `[start, end)`, replacing each length-delimited field for which
 * `change(field, value)` returns new bytes; `undefined` keeps the field as it was.
 */
function rewrite(
  bytes: Uint8Array,
  start: number,
  end: number,
  change: (field: number, value: Uint8Array) => Uint8Array | undefined,
): Uint8Array {
  const parts: Uint8Array[] = [];
  let changed = false;
  for (const f of fields(bytes, start, end)) {
    const replaced =
      f.wire === 2 ? change(f.field, bytes.subarray(f.valueStart, f.end)) : undefined;
    if (replaced === undefined) parts.push(bytes.subarray(f.start, f.end));
    else {
      changed = true;
      parts.push(encodeVarint(f.field * 8 + 2), encodeVarint(replaced.length), replaced);
    }
  }
  return changed ? concat(parts) : bytes.subarray(start, end);
}

function* fields(bytes: Uint8Array, start: number, end: number): Generator<RawField> {
  let offset = start;
  while (offset < end) {
    const tag = readVarint(bytes.subarray(offset, Math.min(offset + 10, end)));
    if (!tag) throw new RangeError(`damaged protobuf field header at byte ${offset}`);
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    let valueStart = offset + tag.length;
    let next: number;
    if (wire === 0) {
      const v = readVarint(bytes.subarray(valueStart, Math.min(valueStart + 10, end)));
      if (!v) throw new RangeError(`damaged varint at byte ${valueStart}`);
      next = valueStart + v.length;
    } else if (wire === 2) {
      const len = readVarint(bytes.subarray(valueStart, Math.min(valueStart + 10, end)));
      if (!len) throw new RangeError(`damaged length at byte ${valueStart}`);
      valueStart += len.length;
      next = valueStart + len.value;
    } else if (wire === 1) next = valueStart + 8;
    else if (wire === 5) next = valueStart + 4;
    else throw new RangeError(`invalid protobuf wire type ${wire} at byte ${offset}`);
    if (next > end) throw new RangeError(`field ${field} at byte ${offset} runs past its message`);
    yield { field, wire, start: offset, valueStart, end: next };
    offset = next;
  }
}

function encodeVarint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
