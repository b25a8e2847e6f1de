import {
  type Backend,
  isBackendV2,
  type LoadContext,
  type LoadedModel,
  type ModelDescriptor,
  openLifecycle,
} from '@npu-first/core';

/**
 * `backend.load()` as the runtime makes it: a v2 backend's session goes into core's lifecycle
 * (which validates, selects outputs and disposes), a v1 model comes back as the backend made it.
 */
export async function loadModel(
  backend: Backend,
  model: ModelDescriptor,
  context: LoadContext,
): Promise<LoadedModel> {
  if (!isBackendV2(backend)) return backend.load(model, context);
  return openLifecycle(await backend.load(model, context), {
    name: model.name,
    backendId: backend.id,
    ...(backend.capabilities ? { capabilities: backend.capabilities } : {}),
  });
}
