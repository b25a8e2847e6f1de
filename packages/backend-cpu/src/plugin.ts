import { defineBackendPlugin, lazyBackend } from '@npu-first/core';
import { CPU_LLAMA_DESCRIPTOR, CPU_ONNX_DESCRIPTOR } from './descriptors.js';

/**
 * The entry the runtime's discovery imports (declared under "npu-first" in package.json).
 * Each backend's implementation — and the engine glue behind it — is imported only when the
 * backend is first probed or asked to load.
 */
export default defineBackendPlugin({
  specificationVersion: 'v2',
  createBackends: () => [
    lazyBackend(CPU_ONNX_DESCRIPTOR, async () =>
      (await import('./cpu-onnx-backend.js')).createCpuOnnxBackend(),
    ),
    lazyBackend(CPU_LLAMA_DESCRIPTOR, async () =>
      (await import('./cpu-llama-backend.js')).createCpuLlamaBackend(),
    ),
  ],
});
