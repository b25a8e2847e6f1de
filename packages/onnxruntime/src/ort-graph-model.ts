import {
  type DeviceInfo,
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
import type { Ort } from './load-ort.js';
import { runError } from './ort-errors.js';
import { toTensorInfo } from './tensor-info.js';

/**
 * A model on an ONNX Runtime session. `run()` validates feeds, wraps them as ORT tensors
 * without copying their data, and hands ORT's output tensors back as they are. A loop that
 * passes the same tensors again (refilling their buffers in place) is validated and wrapped
 * once: later runs only check that names, tensors, types, buffers, lengths and dims are
 * unchanged. `dispose()` waits for in-flight runs before releasing the native session, so a
 * run is never cut off mid-flight by a release.
 */
export class OrtGraphModel implements GraphModel {
  readonly task = 'graph' as const;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly #ort: Ort;
  readonly #session: InferenceSession;
  readonly #backendId: string;
  readonly #name: string;
  readonly #outputNames: ReadonlySet<string>;
  /** The last feeds validated and wrapped, reused while the caller passes the same tensors. */
  #last: ValidatedFeeds | undefined;
  #inFlight = 0;
  #drained: (() => void) | undefined;
  #disposing: Promise<void> | undefined;

  constructor(
    ort: Ort,
    session: InferenceSession,
    backendId: string,
    name: string,
    readonly device: DeviceInfo,
  ) {
    this.#ort = ort;
    this.#session = session;
    this.#backendId = backendId;
    this.#name = name;
    this.inputs = session.inputMetadata.map(toTensorInfo);
    this.outputs = session.outputMetadata.map(toTensorInfo);
    this.#outputNames = new Set(session.outputNames);
  }

  async run(feeds: Feeds, options?: RunOptions): Promise<Record<string, Tensor>> {
    if (this.#disposing) throw new ModelDisposedError(this.#name);
    let ortFeeds = this.#last?.matches(feeds) ? this.#last.ortFeeds : undefined;
    if (!ortFeeds) {
      validateFeeds(this.inputs, feeds);
      ortFeeds = {};
      for (const name in feeds) {
        const feed = feeds[name] as Tensor;
        ortFeeds[name] =
          feed instanceof this.#ort.Tensor
            ? feed
            : new this.#ort.Tensor(feed.type, feed.data as never, feed.dims);
      }
      this.#last = new ValidatedFeeds(feeds, ortFeeds);
    }
    const fetches = options?.outputs ? this.#checkOutputs(options.outputs) : undefined;
    this.#inFlight++;
    try {
      return (
        fetches ? await this.#session.run(ortFeeds, fetches) : await this.#session.run(ortFeeds)
      ) as Record<string, Tensor>;
    } catch (error) {
      throw runError(this.#backendId, error);
    } finally {
      if (--this.#inFlight === 0) this.#drained?.();
    }
  }

  #checkOutputs(names: readonly string[]): string[] {
    for (const name of names) {
      if (!this.#outputNames.has(name)) {
        throw new InvalidOptionError(
          'outputs',
          `"${name}" is not an output of ${this.#name} (outputs: ${[...this.#outputNames].join(', ')})`,
        );
      }
    }
    return [...names];
  }

  dispose(): Promise<void> {
    this.#disposing ??= (async () => {
      if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
      await this.#session.release();
    })();
    return this.#disposing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

/** Feeds that passed validation, with their ORT wrappers and what they were checked with. */
class ValidatedFeeds {
  readonly #feeds: Feeds;
  readonly #entries: {
    name: string;
    tensor: Tensor;
    type: string;
    data: Tensor['data'];
    length: number;
    dims: number[];
  }[];
  readonly ortFeeds: Record<string, InstanceType<Ort['Tensor']>>;

  constructor(feeds: Feeds, ortFeeds: Record<string, InstanceType<Ort['Tensor']>>) {
    this.#feeds = feeds;
    this.ortFeeds = ortFeeds;
    this.#entries = Object.keys(feeds).map((name) => {
      const tensor = feeds[name] as Tensor;
      return {
        name,
        tensor,
        type: tensor.type,
        data: tensor.data,
        length: tensor.data.length,
        dims: [...tensor.dims],
      };
    });
  }

  /** Whether `feeds` holds exactly the tensors validated before, unchanged but for buffer contents. */
  matches(feeds: Feeds): boolean {
    if (feeds !== this.#feeds) return false;
    let count = 0;
    for (const _ in feeds) count++;
    if (count !== this.#entries.length) return false;
    for (const e of this.#entries) {
      const t = feeds[e.name];
      if (
        e.type === 'string' ||
        t !== e.tensor ||
        t.type !== e.type ||
        t.data !== e.data ||
        t.data.length !== e.length ||
        t.dims.length !== e.dims.length
      )
        return false;
      for (let i = 0; i < e.dims.length; i++) if (t.dims[i] !== e.dims[i]) return false;
    }
    return true;
  }
}
