import type { DeviceInfo, ModelDescriptor } from '@npu-first/core';
import type { InferenceSession } from 'onnxruntime-node';
import { loadOrt, type Ort } from './load-ort.js';
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
  const session = await openOrtSession(ort, backendId, model, sessionOptions, signal);
  return new OrtGraphModel(ort, session, backendId, model.name, device);
}

/**
 * Opens a bare ORT session with typed errors, released again if `signal` aborted meanwhile.
 * For helpers that must use the session before wrapping it (see `createProfiledOrtModel`).
 */
export async function openOrtSession(
  ort: Ort,
  backendId: string,
  model: ModelDescriptor,
  sessionOptions: InferenceSession.SessionOptions,
  signal?: AbortSignal,
): Promise<InferenceSession> {
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
  return session;
}
