import { defineBackendPlugin, lazyBackend } from '@npu-first/core';
import { gpuDescriptor } from './descriptors.js';
import { LLAMA_GPU_PATHS } from './llama/llama-gpu-paths.js';
import { ORT_GPU_PATHS } from './ort/gpu-paths.js';

/**
 * Every GPU path, ONNX Runtime and llama.cpp; the ones this platform lacks say so in their
 * probe. Implementations (and the engine glue) are imported on first probe or load.
 */
export default defineBackendPlugin({
  specificationVersion: 'v2',
  createBackends: () => [
    ...ORT_GPU_PATHS.map((path) =>
      lazyBackend(gpuDescriptor(path, 'onnxruntime'), async () =>
        (await import('./ort/ort-gpu-backend.js')).createOrtGpuBackend(path),
      ),
    ),
    ...LLAMA_GPU_PATHS.map((path) =>
      lazyBackend(gpuDescriptor(path, 'llamacpp'), async () =>
        (await import('./llama/llama-gpu-backend.js')).createLlamaGpuBackend(path),
      ),
    ),
  ],
});
