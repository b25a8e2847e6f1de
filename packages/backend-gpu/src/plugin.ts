import { defineBackendPlugin } from '@npu-first/core';
import { createLlamaGpuBackend } from './llama/llama-gpu-backend.js';
import { LLAMA_GPU_PATHS } from './llama/llama-gpu-paths.js';
import { ORT_GPU_PATHS } from './ort/gpu-paths.js';
import { createOrtGpuBackend } from './ort/ort-gpu-backend.js';

/** Every GPU path, ONNX Runtime and llama.cpp; the ones this platform lacks say so in their probe. */
export default defineBackendPlugin({
  specificationVersion: 'v1',
  createBackends: () => [
    ...ORT_GPU_PATHS.map((p) => createOrtGpuBackend(p)),
    ...LLAMA_GPU_PATHS.map((p) => createLlamaGpuBackend(p)),
  ],
});
