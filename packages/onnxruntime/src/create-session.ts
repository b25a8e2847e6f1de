import type { DeviceInfo, ModelDescriptor } from '@npu-first/core';
import type { InferenceSession } from 'onnxruntime-node';
import { loadOrt } from './load-ort.js';
import { loadError } from './ort-errors.js';
import { OrtGraphModel } from './ort-graph-model.js';

/**
 * Creates an ORT session for a model (from its path, or its bytes) and wraps it as a
 * `GraphModel`. Engine errors become typed errors (`MODEL_CORRUPT`, `BACKEND_LOAD_FAILED`).
 * When `signal` is aborted before the session is ready, the session is released.
 */
export async function createOrtModel(
  backendId: string,
  model: ModelDescriptor,
  sessionOptions: InferenceSession.SessionOptions,
  device: DeviceInfo,
  signal?: AbortSignal,
): Promise<OrtGraphModel> {
  const ort = await loadOrt();
  let session: InferenceSession;
  try {
    session =
      model.path !== undefined
        ? await ort.InferenceSession.create(model.path, sessionOptions)
        : await ort.InferenceSession.create(model.bytes as Uint8Array, sessionOptions);
  } catch (error) {
    throw loadError(backendId, model.name, error);
  }
  if (signal?.aborted) {
    await session.release();
    throw signal.reason;
  }
  return new OrtGraphModel(ort, session, backendId, model.name, device);
}
