import type { BackendV1 } from './backend.js';
import type { BackendV2 } from './backend-v2.js';

/** The members v1 and v2 share, without `specificationVersion` and `load`. */
export type SharedMembers = Omit<BackendV1, 'specificationVersion' | 'load'>;

/**
 * Copies a backend's shared members onto a new object. Methods are called on the original,
 * so a backend written as a class (methods reading `this`) keeps working when wrapped.
 */
export function sharedMembers(backend: BackendV1 | BackendV2): SharedMembers {
  const { id, deviceKind, formats, tasks, displayName, priority, precision } = backend;
  return {
    id,
    deviceKind,
    formats,
    tasks,
    ...(displayName !== undefined ? { displayName } : {}),
    ...(priority !== undefined ? { priority } : {}),
    ...(precision !== undefined ? { precision } : {}),
    probe: () => backend.probe(),
    ...(backend.checkOptions ? { checkOptions: (options) => backend.checkOptions?.(options) } : {}),
    ...(backend.accepts
      ? {
          accepts: (model, context) =>
            backend.accepts ? backend.accepts(model, context) : { accepted: true },
        }
      : {}),
  };
}
