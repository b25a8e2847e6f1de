import { createCpuOnnxBackend } from '@npu-first/backend-cpu';
import { createRuntime, type Feeds, type Tensor, tensor } from '@npu-first/core';
import { SILERO_PATH } from '../options/silero-model.js';

/** Silero VAD feeds for request `id`: a window of its own, so outputs tell requests apart. */
export function feedsFor(id: number): Feeds {
  const input = new Float32Array(512);
  for (let j = 0; j < 512; j++) input[j] = 0.5 * Math.sin(id * 0.37 + j * 0.05);
  return {
    input: tensor('float32', input, [1, 512]),
    state: tensor('float32', new Float32Array(256), [2, 1, 128]),
    sr: tensor('int64', BigInt64Array.of(16000n), []),
  };
}

/** The plain ONNX Runtime CPU session's outputs for each request id: the reference. */
export async function cpuReference(ids: readonly number[]): Promise<Map<number, Tensor[]>> {
  const runtime = await createRuntime({ backends: [createCpuOnnxBackend()], env: {} });
  const model = await runtime.load(SILERO_PATH, { task: 'graph' });
  const out = new Map<number, Tensor[]>();
  for (const id of ids) out.set(id, Object.values(await model.run(feedsFor(id))));
  await model.dispose();
  return out;
}

/** Outputs as plain arrays, for `toEqual`. */
export function plain(outputs: Record<string, Tensor> | Tensor[]): unknown[] {
  return Object.values(outputs).map((t) => [t.dims, Array.from(t.data as Float32Array)]);
}

/** First-loads-wins, so the fixture accelerators serve before the CPU (no timing trial). */
export const FIRST = 'npu-first;selection=first';
