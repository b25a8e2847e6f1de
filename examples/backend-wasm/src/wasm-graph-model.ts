import {
  type DeviceInfo,
  type Feeds,
  type GraphModel,
  InvalidOptionError,
  ModelDisposedError,
  RunFailedError,
  type RunOptions,
  type Tensor,
  type TensorInfo,
  validateFeeds,
} from '@npu-first/core';
import type * as OrtWeb from 'onnxruntime-web';

type Ort = typeof OrtWeb;

/** onnxruntime-web's metadata → npu-first's `TensorInfo` ('' or negative dims are dynamic). */
function toInfo(meta: OrtWeb.InferenceSession.ValueMetadata): TensorInfo {
  if (!meta.isTensor) return { name: meta.name, type: 'unknown', shape: null };
  return {
    name: meta.name,
    type: meta.type as TensorInfo['type'],
    shape: meta.shape.map((d) =>
      typeof d === 'number' ? (d >= 0 ? d : null) : d === '' ? null : d,
    ),
  };
}

/** A model on an onnxruntime-web (WebAssembly) session, behaving as the spec asks. */
export class WasmGraphModel implements GraphModel {
  readonly task = 'graph' as const;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  #inFlight = 0;
  #drained: (() => void) | undefined;
  #disposing: Promise<void> | undefined;

  constructor(
    private readonly ort: Ort,
    private readonly session: OrtWeb.InferenceSession,
    private readonly name: string,
    readonly device: DeviceInfo,
  ) {
    this.inputs = session.inputMetadata.map(toInfo);
    this.outputs = session.outputMetadata.map(toInfo);
  }

  async run(feeds: Feeds, options?: RunOptions): Promise<Record<string, Tensor>> {
    if (this.#disposing) throw new ModelDisposedError(this.name);
    validateFeeds(this.inputs, feeds);
    const wanted = options?.outputs;
    for (const name of wanted ?? []) {
      if (!this.session.outputNames.includes(name))
        throw new InvalidOptionError('outputs', `"${name}" is not an output`);
    }
    const ortFeeds: Record<string, OrtWeb.Tensor> = {};
    for (const [name, t] of Object.entries(feeds))
      ortFeeds[name] = new this.ort.Tensor(t.type, t.data as never, t.dims);
    this.#inFlight++;
    try {
      const out = wanted
        ? await this.session.run(ortFeeds, [...wanted])
        : await this.session.run(ortFeeds);
      return out as unknown as Record<string, Tensor>;
    } catch (error) {
      throw new RunFailedError(
        'cpu-onnxruntime-web',
        error instanceof Error ? error.message : String(error),
        { cause: error },
      );
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
