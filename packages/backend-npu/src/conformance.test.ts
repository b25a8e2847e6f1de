import { runBackendConformance } from '@npu-first/testkit/conformance';
import { createCoreMlNpuBackend } from './coreml/coreml-backend.js';
import { createOpenVinoNpuBackend } from './openvino/openvino-backend.js';

// Where no NPU is present each backend reports itself unavailable: one skipped test carrying
// the probe's reason (set NPU_FIRST_REQUIRE_BACKENDS=npu-coreml on a Mac runner to require it).
// Both compile static shapes: the suite pins the symbolic-batch fixture through `shapes`.
// Coverage gating is off for CoreML (minNpuCoverage: 0): the suite checks results, not
// placement; the gate has its own tests.
const npu = {
  capabilities: { staticShapesOnly: true },
  pinShapes: (dims: Readonly<Record<string, number>>) => ({ shapes: dims }),
};
await runBackendConformance({ backend: createCoreMlNpuBackend({ minNpuCoverage: 0 }), ...npu });
await runBackendConformance({ backend: createOpenVinoNpuBackend(), ...npu });
