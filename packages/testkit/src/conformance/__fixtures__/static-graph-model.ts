import {
  type DeviceInfo,
  type DType,
  type Feeds,
  type GraphModel,
  InvalidOptionError,
  ModelDisposedError,
  type RunOptions,
  type Tensor,
  type TensorInfo,
  validateFeeds,
} from '@npu-first/core';
import type { InferenceSession } from 'onnxruntime-node';

type Ort = typeof import('onnxruntime-node');

function infoOf(meta: InferenceSession.ValueMetadata): TensorInfo {
  if (!meta.isTensor) return { name: meta.name, type: 'unknown', shape: null };
  return {
    name: meta.name,
    type: meta.type as DType,
    shape: meta.shape.map((d) =>
      typeof d === 'number' ? (d >= 0 ? d : null) : d === '' ? null : d,
    ),
  };
}

/** A fixture graph model on a real onnxruntime-node CPU session; dispose waits for runs. */
export class StaticGraphModel implements GraphModel {
  readonly task = 'graph' as const;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  #inFlight = 0;
  #drained: (() => void) | undefined;
  #disposing: Promise<void> | undefined;

  constructor(
    readonly ort: Ort,
    readonly session: InferenceSession,
    readonly name: string,
    readonly device: DeviceInfo,
  ) {
    this.inputs = session.inputMetadata.map(infoOf);
    this.outputs = session.outputMetadata.map(infoOf);
  }

  async run(feeds: Feeds, options?: RunOptions): Promise<Record<string, Tensor>> {
    if (this.#disposing) throw new ModelDisposedError(this.name);
    validateFeeds(this.inputs, feeds);
    for (const name of options?.outputs ?? []) {
      if (!this.session.outputNames.includes(name))
        throw new InvalidOptionError('outputs', `no output "${name}"`);
    }
    const ortFeeds = Object.fromEntries(
      Object.entries(feeds).map(([k, t]) => [
        k,
        new this.ort.Tensor(t.type, t.data as never, t.dims),
      ]),
    );
    this.#inFlight++;
    try {
      const fetches = options?.outputs ? [...options.outputs] : undefined;
      const out = fetches
        ? await this.session.run(ortFeeds, fetches)
        : await this.session.run(ortFeeds);
      return out as unknown as Record<string, Tensor>;
    } finally {
      if (--this.#inFlight === 0) this.#drained?.();
    }
  }

  dispose(): Promise<void> {
    this.#disposing ??= (async () => {
      if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
      await this.session.release();
    })();
    return this.#disposing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
