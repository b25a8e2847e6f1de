import {
  type ByteSource,
  bytesSource,
  type Dim,
  type DType,
  fileSource,
  type ModelDescriptor,
} from '@npu-first/core';
import { readString, type WireField, wireFields } from './protobuf-reader.js';

/** One graph input as the model declares it. `shape: null` when the rank is not declared. */
export interface DeclaredInput {
  readonly name: string;
  /** The element type, `'unknown'` for non-tensors and types npu-first has no name for. */
  readonly type: DType | 'unknown';
  readonly shape: readonly Dim[] | null;
}

/** ONNX `TensorProto.DataType` → npu-first dtype. */
const ONNX_DTYPES: Readonly<Record<number, DType>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
};

/** What the pre-flight reads from an ONNX model without handing it to an engine. */
export interface OnnxGraphFacts {
  /** Graph inputs that are real inputs (inputs that are also initializers are left out). */
  readonly inputs: readonly DeclaredInput[];
  readonly outputs: readonly DeclaredInput[];
  /** Nodes of the main graph (subgraphs of If/Loop not counted), by op type. */
  readonly nodeCount: number;
  readonly opTypes: ReadonlyMap<string, number>;
}

// Field numbers from onnx.proto.
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;
const NODE_OP_TYPE = 4;
const TENSOR_NAME = 8;
const VALUE_INFO_NAME = 1;
const VALUE_INFO_TYPE = 2;
const TYPE_TENSOR = 1;
const TENSOR_TYPE_ELEM = 1;
const TENSOR_TYPE_SHAPE = 2;
const SHAPE_DIM = 1;
const DIM_VALUE = 1;
const DIM_PARAM = 2;

/**
 * Reads a model's graph inputs (names and declared dims) and counts its nodes by op type,
 * with a targeted walk of `ModelProto.graph` — `input` → `ValueInfoProto.type` →
 * `TypeProto.tensor_type.shape.dim` — that skips initializer payloads. A model on disk is
 * read with positional reads through a small window, never whole. Throws `WireError` on
 * bytes that are not a well-formed ONNX graph.
 */
export async function readOnnxGraphFacts(model: ModelDescriptor): Promise<OnnxGraphFacts> {
  const bytes =
    model.path !== undefined
      ? await fileSource(model.path)
      : bytesSource(model.bytes ?? new Uint8Array());
  try {
    return await walkGraph(bytes);
  } finally {
    await bytes.close();
  }
}

async function walkGraph(bytes: ByteSource): Promise<OnnxGraphFacts> {
  let graph: WireField | undefined;
  for await (const f of wireFields(bytes, 0, bytes.size)) {
    if (f.field === MODEL_GRAPH && f.wire === 2) graph = f;
  }
  if (!graph) return { inputs: [], outputs: [], nodeCount: 0, opTypes: new Map() };
  const inputs: DeclaredInput[] = [];
  const outputs: DeclaredInput[] = [];
  const initializers = new Set<string>();
  const opTypes = new Map<string, number>();
  let nodeCount = 0;
  for await (const f of wireFields(bytes, graph.start, graph.start + graph.length)) {
    if (f.wire !== 2) continue;
    if (f.field === GRAPH_INPUT) inputs.push(await readValueInfo(bytes, f));
    else if (f.field === GRAPH_OUTPUT) outputs.push(await readValueInfo(bytes, f));
    else if (f.field === GRAPH_INITIALIZER) {
      const name = await firstString(bytes, f, TENSOR_NAME);
      if (name !== undefined) initializers.add(name);
    } else if (f.field === GRAPH_NODE) {
      nodeCount++;
      const op = (await firstString(bytes, f, NODE_OP_TYPE)) ?? '?';
      opTypes.set(op, (opTypes.get(op) ?? 0) + 1);
    }
  }
  const real = inputs.filter((i) => !initializers.has(i.name));
  return { inputs: real, outputs, nodeCount, opTypes };
}

/**
 * Nodes that do work when the graph runs: all but `Constant` nodes, which ONNX Runtime
 * folds into initializers before running anything. The base of the NPU coverage share.
 */
export function workNodeCount(facts: OnnxGraphFacts): number {
  return facts.nodeCount - (facts.opTypes.get('Constant') ?? 0);
}

async function firstString(
  bytes: ByteSource,
  message: WireField,
  field: number,
): Promise<string | undefined> {
  for await (const f of wireFields(bytes, message.start, message.start + message.length)) {
    if (f.field === field && f.wire === 2) return readString(bytes, f);
  }
  return undefined;
}

async function readValueInfo(bytes: ByteSource, info: WireField): Promise<DeclaredInput> {
  let name = '';
  let tensor: Omit<DeclaredInput, 'name'> = { type: 'unknown', shape: null };
  for await (const f of wireFields(bytes, info.start, info.start + info.length)) {
    if (f.wire !== 2) continue;
    if (f.field === VALUE_INFO_NAME) name = await readString(bytes, f);
    else if (f.field === VALUE_INFO_TYPE) tensor = await readTensorType(bytes, f);
  }
  return { name, ...tensor };
}

/** `TypeProto.tensor_type`: element type and shape dims (`null` when no shape is declared). */
async function readTensorType(
  bytes: ByteSource,
  type: WireField,
): Promise<Omit<DeclaredInput, 'name'>> {
  let elem: DType | 'unknown' = 'unknown';
  let dims: Dim[] | null = null;
  for await (const t of wireFields(bytes, type.start, type.start + type.length)) {
    if (t.field !== TYPE_TENSOR || t.wire !== 2) continue;
    for await (const s of wireFields(bytes, t.start, t.start + t.length)) {
      if (s.field === TENSOR_TYPE_ELEM && s.wire === 0)
        elem = ONNX_DTYPES[s.varint ?? 0] ?? 'unknown';
      if (s.field !== TENSOR_TYPE_SHAPE || s.wire !== 2) continue;
      dims = [];
      for await (const d of wireFields(bytes, s.start, s.start + s.length)) {
        if (d.field === SHAPE_DIM && d.wire === 2) dims.push(await readDim(bytes, d));
      }
    }
  }
  return { type: elem, shape: dims };
}

async function readDim(bytes: ByteSource, dim: WireField): Promise<Dim> {
  let value: Dim = null;
  for await (const f of wireFields(bytes, dim.start, dim.start + dim.length)) {
    if (f.field === DIM_VALUE && f.wire === 0) {
      // A negative dim_value (-1, "unknown") arrives as a 10-byte varint beyond 2^53.
      value = f.varint !== undefined && f.varint <= Number.MAX_SAFE_INTEGER ? f.varint : null;
    } else if (f.field === DIM_PARAM && f.wire === 2) value = await readString(bytes, f);
  }
  return value;
}
