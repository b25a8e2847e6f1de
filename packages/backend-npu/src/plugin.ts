import { defineBackendPlugin, lazyBackend } from '@npu-first/core';
import { COREML_NPU_DESCRIPTOR, OPENVINO_NPU_DESCRIPTOR } from './descriptors.js';

/**
 * The entry the runtime's discovery imports (declared under "npu-first" in package.json).
 * Implementations are imported on first probe or load.
 */
export default defineBackendPlugin({
  specificationVersion: 'v2',
  createBackends: () => [
    lazyBackend(COREML_NPU_DESCRIPTOR, async () =>
      (await import('./coreml/coreml-backend.js')).createCoreMlNpuBackend(),
    ),
    lazyBackend(OPENVINO_NPU_DESCRIPTOR, async () =>
      (await import('./openvino/openvino-backend.js')).createOpenVinoNpuBackend(),
    ),
  ],
});
