import { defineBackendPlugin } from '@npu-first/core';
import { createCpuLlamaBackend } from './cpu-llama-backend.js';
import { createCpuOnnxBackend } from './cpu-onnx-backend.js';

/** The entry the runtime's discovery imports (declared under "npu-first" in package.json). */
export default defineBackendPlugin({
  specificationVersion: 'v1',
  createBackends: () => [createCpuOnnxBackend(), createCpuLlamaBackend()],
});
