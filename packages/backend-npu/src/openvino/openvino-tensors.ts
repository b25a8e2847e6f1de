import type { DType, Tensor } from '@npu-first/core';
import type { OvAddon, OvElementType, OvTensor, OvTypedArray } from './openvino-api.js';

/** npu-first dtype → openvino-node element type; float16, bool and string have none here. */
export const OV_ELEMENT_TYPES: Partial<Readonly<Record<DType, OvElementType>>> = {
  float32: 'f32',
  float64: 'f64',
  int8: 'i8',
  uint8: 'u8',
  int16: 'i16',
  uint16: 'u16',
  int32: 'i32',
  uint32: 'u32',
  int64: 'i64',
  uint64: 'u64',
};

/** Wraps a feed as an OpenVINO tensor; the tensor shares the feed's memory. */
export function toOvTensor(ov: OvAddon, feed: Tensor): OvTensor {
  const type = OV_ELEMENT_TYPES[feed.type];
  if (!type) throw new TypeError(`openvino-node has no ${feed.type} tensors`);
  return new ov.Tensor(type, [...feed.dims], feed.data as OvTypedArray);
}

/**
 * Copies an OpenVINO output into an npu-first tensor. The copy matters: an infer request
 * reuses its output buffers on the next inference.
 */
export function fromOvTensor(tensor: OvTensor): Tensor {
  const data = tensor.getData();
  const dims = tensor.getShape();
  const type = dtypeOf(data);
  return { type, data: data.slice() as never, dims };
}

function dtypeOf(data: OvTypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof BigUint64Array) return 'uint64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int8Array) return 'int8';
  return 'uint8';
}
