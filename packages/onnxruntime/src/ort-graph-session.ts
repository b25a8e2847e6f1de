import type {
  DeviceInfo,
  Feeds,
  GraphSession,
  LoadedSession,
  ModelDescriptor,
  PlacementDetails,
  Tensor,
  TensorInfo,
} from '@npu-first/core';
import type { InferenceSession } from 'onnxruntime-node';
import { openOrtSession } from './create-session.js';
import { loadOrt, type Ort } from './load-ort.js';
import { runError } from './ort-errors.js';
import { toTensorInfo } from './tensor-info.js';

/** Feeds as ORT tensors, wrapping the caller's buffers without copying. */
type OrtFeeds = Record<string, InstanceType<Ort['Tensor']>>;

/**
 * An ONNX Runtime session as a backend spec v2 `GraphSession`: the engine part alone. Core's
 * lifecycle validates feeds and options, keeps the wrapped feeds while a loop passes the same
 * tensors, counts runs and drains them before `release()`.
 */
export class OrtGraphSession implements GraphSession<OrtFeeds> {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly #ort: Ort;
  readonly #session: InferenceSession;
  readonly #backendId: string;

  constructor(ort: Ort, session: InferenceSession, backendId: string) {
    this.#ort = ort;
    this.#session = session;
    this.#backendId = backendId;
    this.inputs = session.inputMetadata.map(toTensorInfo);
    this.outputs = session.outputMetadata.map(toTensorInfo);
  }

  prepare(feeds: Feeds): OrtFeeds {
    const ortFeeds: OrtFeeds = {};
    for (const name in feeds) {
      const feed = feeds[name] as Tensor;
      ortFeeds[name] =
        feed instanceof this.#ort.Tensor
          ? feed
          : new this.#ort.Tensor(feed.type, feed.data as never, feed.dims);
    }
    return ortFeeds;
  }

  run(
    _feeds: Feeds,
    outputNames: readonly string[],
    prepared: OrtFeeds,
  ): Promise<Record<string, Tensor>> {
    // ORT only reads the fetch names: core's list is passed as it is, with one promise layer.
    const fetches = outputNames as string[];
    return (this.#session.run(prepared, fetches) as Promise<Record<string, Tensor>>).catch(
      (error: unknown) => {
        throw runError(this.#backendId, error);
      },
    );
  }

  release(): Promise<void> {
    return this.#session.release();
  }
}

/** What a backend knows about a load beyond the session options. */
export interface OrtLoadFacts {
  readonly signal?: AbortSignal;
  /** Why `intraOpNumThreads` is what it is (`load option`, `small model: at most 2`…). */
  readonly threadsWhy?: string;
  readonly note?: string;
}

/**
 * Opens an ORT session for a v2 backend's `load()`: the session, the device, and details
 * (threads and why, the execution providers asked for as the engine's device, a note).
 * Engine errors are typed as by `openOrtSession`.
 */
export async function loadOrtSession(
  backendId: string,
  model: ModelDescriptor,
  sessionOptions: InferenceSession.SessionOptions,
  device: DeviceInfo,
  facts: OrtLoadFacts = {},
): Promise<LoadedSession> {
  const ort = await loadOrt();
  const session = await openOrtSession(ort, backendId, model, sessionOptions, facts.signal);
  const providers = (sessionOptions.executionProviders ?? ['cpu']).map((ep) =>
    typeof ep === 'string' ? ep : ep.name,
  );
  const threads = sessionOptions.intraOpNumThreads;
  const details: PlacementDetails = {
    engineDevice: `onnxruntime-node ${providers.join(', ')}`,
    ...(threads !== undefined
      ? { threads: { count: threads, why: facts.threadsWhy ?? 'session options' } }
      : {}),
    ...(facts.note !== undefined ? { note: facts.note } : {}),
  };
  return { task: 'graph', session: new OrtGraphSession(ort, session, backendId), device, details };
}
