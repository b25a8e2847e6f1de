import type { ModelDescriptor } from '@npu-first/core';
import type { InferenceSession } from 'onnxruntime-node';
import type { Ort } from './load-ort.js';
import { loadError } from './ort-errors.js';

/**
 * Opens a bare ORT session for a model (from its path, or its bytes). Engine errors become
 * typed errors (`MODEL_CORRUPT`, `BACKEND_LOAD_FAILED`); when `signal` is aborted before the
 * session is ready, the session is released and the abort reason thrown. `loadOrtSession` and
 * `loadProfiledOrtSession` wrap it as an `OrtGraphSession`.
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
