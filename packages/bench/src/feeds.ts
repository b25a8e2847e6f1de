import type { Tensor, TensorInfo } from '@npu-first/core';
import { random } from './runner/random.js';

/**
 * The inputs a model is benchmarked with: Silero VAD gets one 16 kHz window (576 samples with
 * context) and zero state, PaddleOCR detection a 640×640 image, any other model seeded random
 * values with symbolic dimensions set to 1.
 */
export function benchFeeds(inputs: readonly TensorInfo[], seed = 7): Record<string, Tensor> {
  const next = random(seed);
  const names = inputs.map((i) => i.name).join(',');
  const feeds: Record<string, Tensor> = {};
  if (names === 'input,state,sr') {
    feeds.input = {
      type: 'float32',
      data: Float32Array.from({ length: 576 }, () => next() * 0.2 - 0.1),
      dims: [1, 576],
    };
    feeds.state = { type: 'float32', data: new Float32Array(256), dims: [2, 1, 128] };
    feeds.sr = { type: 'int64', data: BigInt64Array.of(16000n), dims: [] };
    return feeds;
  }
  const image = inputs.length === 1 && inputs[0]?.shape?.length === 4 && inputs[0].shape[1] === 3;
  for (const info of inputs) {
    const dims = (info.shape ?? [1]).map((d, i) =>
      typeof d === 'number' && d >= 0 ? d : image && i >= 2 ? 640 : 1,
    );
    const count = dims.reduce((n, d) => n * d, 1);
    feeds[info.name] = randomTensor(info.type, count, dims, next);
  }
  return feeds;
}

function randomTensor(
  type: TensorInfo['type'],
  count: number,
  dims: number[],
  next: () => number,
): Tensor {
  switch (type) {
    case 'float32':
    case 'unknown':
      return { type: 'float32', data: Float32Array.from({ length: count }, next), dims };
    case 'float64':
      return { type, data: Float64Array.from({ length: count }, next), dims };
    case 'int64':
      return { type, data: BigInt64Array.from({ length: count }, () => 0n), dims };
    case 'int32':
      return { type, data: new Int32Array(count), dims };
    case 'bool':
    case 'uint8':
      return { type, data: new Uint8Array(count), dims };
    case 'string':
      return { type, data: new Array<string>(count).fill(''), dims };
    default:
      throw new Error(`the benchmark cannot make ${type} inputs`);
  }
}
