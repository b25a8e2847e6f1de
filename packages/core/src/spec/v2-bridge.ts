import { openLifecycle } from '../lifecycle/open-lifecycle.js';
import { type BackendV1, SPECIFICATION_VERSION } from './backend.js';
import { sharedMembers } from './backend-identity.js';
import type { BackendV2 } from './backend-v2.js';

/**
 * A v2 backend as v1, its sessions wrapped in core's lifecycles, so the runtime of today can
 * load v2 plugins. Temporary: once the runtime drives v2 itself (v1 through `adaptV1`), this
 * goes. Details reach the placement trace through the lifecycle's `placementNote` only.
 */
export function bridgeV2(backend: BackendV2): BackendV1 {
  return {
    ...sharedMembers(backend),
    specificationVersion: SPECIFICATION_VERSION,
    load: async (model, context) =>
      openLifecycle(await backend.load(model, context), {
        name: model.name,
        backendId: backend.id,
        ...(backend.capabilities ? { capabilities: backend.capabilities } : {}),
      }),
  };
}
