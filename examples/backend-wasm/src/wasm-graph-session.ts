import {
  type Feeds,
  type GraphSession,
  RunFailedError,
  type Tensor,
  type TensorInfo,
} from '@npu-first/core';
import type * as OrtWeb from 'onnxruntime-web';

type Ort = typeof OrtWeb;
/** Feeds as onnxruntime-web tensors, wrapping the caller's buffers. */
type WebFeeds = Record<string, OrtWeb.Tensor>;

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

/**
 * An onnxruntime-web (WebAssembly) session as a spec v2 `GraphSession`: only the engine part.
 * Core validates feeds and run options, picks the outputs, counts runs in flight and releases
 * once they have settled.
 */
export class WasmGraphSession implements GraphSession<WebFeeds> {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];

  constructor(
    private readonly ort: Ort,
    private readonly session: OrtWeb.InferenceSession,
    private readonly backendId: string,
  ) {
    this.inputs = session.inputMetadata.map(toInfo);
    this.outputs = session.outputMetadata.map(toInfo);
  }

  prepare(feeds: Feeds): WebFeeds {
    const webFeeds: WebFeeds = {};
    for (const [name, t] of Object.entries(feeds))
      webFeeds[name] = new this.ort.Tensor(t.type, t.data as never, t.dims);
    return webFeeds;
  }

  async run(
    _feeds: Feeds,
    outputNames: readonly string[],
    prepared: WebFeeds,
  ): Promise<Record<string, Tensor>> {
    try {
      return (await this.session.run(prepared, [...outputNames])) as unknown as Record<
        string,
        Tensor
      >;
    } catch (error) {
      throw new RunFailedError(
        this.backendId,
        error instanceof Error ? error.message : String(error),
        { cause: error },
      );
    }
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
