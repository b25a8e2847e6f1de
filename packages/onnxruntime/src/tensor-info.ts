import type { Dim, DType, TensorInfo } from '@npu-first/core';
import type { InferenceSession } from 'onnxruntime-node';

const DTYPES = new Set<string>([
  'float32',
  'float64',
  'float16',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'bool',
  'string',
]);

/** Converts ORT's value metadata into npu-first's `TensorInfo`. */
export function toTensorInfo(meta: InferenceSession.ValueMetadata): TensorInfo {
  if (!meta.isTensor) return { name: meta.name, type: 'unknown', shape: null };
  const type = DTYPES.has(meta.type) ? (meta.type as DType) : 'unknown';
  const shape: Dim[] = meta.shape.map((d) =>
    typeof d === 'number' ? (d >= 0 ? d : null) : d === '' ? null : d,
  );
  return { name: meta.name, type, shape };
}
