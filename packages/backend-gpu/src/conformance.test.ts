import { runBackendConformance } from '@npu-first/testkit/conformance';
import plugin from './plugin.js';

// Every GPU path runs the suite. Where the hardware is absent (as on CI), each reports
// unavailable with its probe's reason instead of passing silently; on a GPU runner set
// NPU_FIRST_REQUIRE_BACKENDS=gpu-onnxruntime-cuda,… to make absence a failure.
for (const backend of await plugin.createBackends()) {
  await runBackendConformance({ backend });
}
