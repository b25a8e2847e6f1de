import type { Backend } from '@npu-first/core';
import { runBackendConformance } from '../../run-backend-conformance.js';
import { createStaticShapesFixtureBackend } from '../static-shapes-backend.js';

// accepts() throws; load() throws synchronously, not even returning a promise.
const backend: Backend = {
  ...createStaticShapesFixtureBackend(),
  accepts: () => {
    throw new TypeError('accepts exploded');
  },
  load: () => {
    throw new RangeError('engine exploded');
  },
};

await runBackendConformance({
  backend,
  capabilities: { staticShapesOnly: true },
  pinShapes: (dims) => ({ shapes: dims }),
});
