import { createStaticShapesFixtureBackend } from './__fixtures__/static-shapes-backend.js';
import { runBackendConformance } from './run-backend-conformance.js';

/**
 * A backend that compiles static shapes only passes the whole suite once it declares so:
 * the symbolic-batch cases run pinned through its `shapes` option, and its refusal of an
 * unpinned symbolic model is checked.
 */
await runBackendConformance({
  backend: createStaticShapesFixtureBackend(),
  capabilities: { staticShapesOnly: true },
  pinShapes: (dims) => ({ shapes: dims }),
  requireAvailable: true,
});
