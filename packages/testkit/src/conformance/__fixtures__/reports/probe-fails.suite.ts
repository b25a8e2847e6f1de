import type { Backend } from '@npu-first/core';
import { runBackendConformance } from '../../run-backend-conformance.js';

const base = (id: string, probe: () => Promise<never>): Backend => ({
  specificationVersion: 'v1',
  id,
  deviceKind: 'npu',
  formats: ['onnx'],
  tasks: ['graph'],
  probe,
  load: async () => {
    throw new Error('not reached');
  },
});

await runBackendConformance({
  backend: base('npu-probe-throws', async () => {
    throw new TypeError('no driver answered');
  }),
});
await runBackendConformance({
  backend: base('npu-probe-hangs', () => new Promise<never>(() => {})),
  probeTimeoutMs: 200,
});
