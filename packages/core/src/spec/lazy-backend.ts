import type { AcceptResult, Backend, BackendV1 } from './backend.js';

/**
 * A backend's static description: everything but the methods that need its implementation.
 * `checkOptions` belongs here, so options are checked without importing the engine glue.
 */
export type BackendDescriptor = Omit<BackendV1, 'probe' | 'accepts' | 'load'>;

/**
 * A backend whose implementation module is imported only when it is first probed or asked to
 * load. Plugin entries built from these cost almost nothing to import, so discovering many
 * installed backends stays fast and light. The implementation must carry the same id.
 */
export function lazyBackend(
  descriptor: BackendDescriptor,
  implement: () => Promise<Backend>,
): Backend {
  let real: Promise<Backend> | undefined;
  const get = () => {
    real ??= implement().then((backend) => {
      if (backend.id !== descriptor.id) {
        throw new Error(`lazy backend "${descriptor.id}" was implemented as "${backend.id}"`);
      }
      return backend;
    });
    return real;
  };
  return {
    ...descriptor,
    probe: async () => (await get()).probe(),
    accepts: async (model, context): Promise<AcceptResult> => {
      const backend = await get();
      return backend.accepts ? backend.accepts(model, context) : { accepted: true };
    },
    load: async (model, context) => (await get()).load(model, context),
  };
}
