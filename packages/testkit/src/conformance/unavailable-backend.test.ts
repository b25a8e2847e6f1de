import type { Backend } from '@npu-first/core';
import { runBackendConformance } from './run-backend-conformance.js';

/**
 * The suite on a backend whose hardware is absent: the contract cases run and must pass,
 * and the inference cases collapse into one skipped test whose name carries the probe's
 * reason — visible in the report as "skipped", never a silent pass.
 */
const absentNpu: Backend = {
  specificationVersion: 'v1',
  id: 'npu-absent-fixture',
  deviceKind: 'npu',
  formats: ['onnx'],
  tasks: ['graph'],
  probe: async () => ({
    available: false,
    devices: [],
    reason: 'no NPU: /sys/class/accel has no devices (fixture backend)',
  }),
  load: async () => {
    throw new Error('load() must not be called on an unavailable backend');
  },
};

await runBackendConformance({ backend: absentNpu });
