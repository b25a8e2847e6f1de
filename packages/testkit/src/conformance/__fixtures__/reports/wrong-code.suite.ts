import { CorruptModelError } from '@npu-first/core';
import { runBackendConformance } from '../../run-backend-conformance.js';
import { createStaticShapesFixtureBackend } from '../static-shapes-backend.js';

// Right in everything but one thing: a corrupt model surfaces as a TypeError.
const real = createStaticShapesFixtureBackend();
const backend: typeof real = {
  ...real,
  load: async (model, context) => {
    try {
      return await real.load(model, context);
    } catch (error) {
      if (CorruptModelError.isInstance(error)) throw new TypeError(`cannot parse ${model.name}`);
      throw error;
    }
  },
};

await runBackendConformance({
  backend,
  capabilities: { staticShapesOnly: true },
  pinShapes: (dims) => ({ shapes: dims }),
});
