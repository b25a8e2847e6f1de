import { runBackendConformance } from '@npu-first/testkit/conformance';
import { createCoreMlNpuBackend } from './coreml/coreml-backend.js';
import { createOpenVinoNpuBackend } from './openvino/openvino-backend.js';

// Where no NPU is present each backend reports itself unavailable: one skipped test carrying
// the probe's reason (set NPU_FIRST_REQUIRE_BACKENDS=npu-coreml on a Mac runner to require it).
// The suite's fixtures include a model with a symbolic batch run at several sizes, which an
// NPU cannot compile statically: coverage gating is off here (minNpuCoverage: 0) because the
// suite checks results, not placement; the gate has its own tests.
await runBackendConformance({ backend: createCoreMlNpuBackend({ minNpuCoverage: 0 }) });
await runBackendConformance({ backend: createOpenVinoNpuBackend() });
