import type { AcceptResult, Backend, BackendV1 } from './backend.js';
import type { BackendV2 } from './backend-v2.js';

type Described<B> = B extends Backend ? Omit<B, 'probe' | 'accepts' | 'load'> : never;

/**
 * A backend's static description: everything but the methods that need its implementation.
 * `checkOptions` belongs here, so options are checked without importing the engine glue.
 * Its `specificationVersion` is the implementation's (v1 or v2).
 */
export type BackendDescriptor = Described<Backend>;

/**
 * A backend whose implementation module is imported only when it is first probed or asked to
 * load. Plugin entries built from these cost almost nothing to import, so discovering many
 * installed backends stays fast and light. The implementation must carry the same id and
 * specification version.
 */
export function lazyBackend(
  descriptor: Described<BackendV2>,
  implement: () => Promise<BackendV2>,
): BackendV2;
export function lazyBackend(
  descriptor: Described<BackendV1>,
  implement: () => Promise<BackendV1>,
): BackendV1;
export function lazyBackend(
  descriptor: BackendDescriptor,
  implement: () => Promise<Backend>,
): Backend;
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
      if (backend.specificationVersion !== descriptor.specificationVersion) {
        throw new Error(
          `lazy backend "${descriptor.id}" is described as spec ${descriptor.specificationVersion} but implemented as ${backend.specificationVersion}`,
        );
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
    // The versions match (checked above), so the result is the one the descriptor promises.
    load: async (model, context) => (await get()).load(model, context) as never,
  } as Backend;
}
