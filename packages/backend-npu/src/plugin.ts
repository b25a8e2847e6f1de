import { defineBackendPlugin } from '@npu-first/core';
import { createCoreMlNpuBackend } from './coreml/coreml-backend.js';
import { createOpenVinoNpuBackend } from './openvino/openvino-backend.js';

/** The entry the runtime's discovery imports (declared under "npu-first" in package.json). */
export default defineBackendPlugin({
  specificationVersion: 'v1',
  createBackends: () => [createCoreMlNpuBackend(), createOpenVinoNpuBackend()],
});
