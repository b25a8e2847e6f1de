import {
  type DeviceInfo,
  type Feeds,
  InvalidOptionError,
  ModelDisposedError,
  messageOf,
  RunFailedError,
  type RunOptions,
  type Tensor,
  type TensorInfo,
  validateFeeds,
} from '@npu-first/core';
import type { NpuGraphModel } from '../npu-graph-model.js';
import type { OpCoverage } from '../op-coverage/parse-profile.js';
import type { OvAddon, OvCompiledModel, OvInferRequest, OvModel } from './openvino-api.js';
import { fromOvTensor, toOvTensor } from './openvino-tensors.js';

/** Compiled variants kept per model when feeds arrive in new shapes. */
const MAX_COMPILED_SHAPES = 8;

/**
 * A model compiled for the Intel NPU by OpenVINO. `run()` validates feeds with core's
 * `validateFeeds`, wraps them as OpenVINO tensors without copying, and copies outputs back.
 * NPU compilation is for static shapes: the model is compiled for its pinned shapes at load,
 * and a feed in another shape (a symbolic dimension left unpinned) compiles — once, then
 * cached — a variant reshaped to it. Infer requests are pooled, so concurrent runs do not
 * share one.
 */
export class OpenVinoGraphModel implements NpuGraphModel {
  readonly task = 'graph' as const;
  /** The OpenVINO NPU plugin compiles the whole graph for the NPU or fails: nothing falls back silently. */
  readonly coverage: OpCoverage | null = null;
  readonly coverageNote = 'whole graph compiled for the NPU by OpenVINO (no CPU fallback)';
  readonly device: DeviceInfo;
  readonly #ov: OvAddon;
  readonly #model: OvModel;
  readonly #compile: (model: OvModel) => Promise<OvCompiledModel>;
  readonly #name: string;
  readonly #backendId: string;
  readonly #variants = new Map<string, Promise<Variant>>();
  #inFlight = 0;
  #drained: (() => void) | undefined;
  #disposing: Promise<void> | undefined;

  constructor(
    parts: {
      readonly ov: OvAddon;
      readonly model: OvModel;
      readonly compiled: OvCompiledModel;
      readonly compile: (model: OvModel) => Promise<OvCompiledModel>;
      readonly staticShapes: ReadonlyMap<string, readonly number[]>;
      readonly backendId: string;
      readonly name: string;
    },
    readonly inputs: readonly TensorInfo[],
    readonly outputs: readonly TensorInfo[],
    device: DeviceInfo,
  ) {
    this.#ov = parts.ov;
    this.#model = parts.model;
    this.#compile = parts.compile;
    this.#name = parts.name;
    this.#backendId = parts.backendId;
    this.device = { ...device, name: `${device.name}: ${this.coverageNote}` };
    const key = shapeKey(inputs.map((i) => parts.staticShapes.get(i.name) ?? []));
    this.#variants.set(key, Promise.resolve(new Variant(parts.compiled)));
  }

  async run(feeds: Feeds, options?: RunOptions): Promise<Record<string, Tensor>> {
    if (this.#disposing) throw new ModelDisposedError(this.#name);
    validateFeeds(this.inputs, feeds);
    const wanted = options?.outputs ? this.#checkOutputs(options.outputs) : undefined;
    this.#inFlight++;
    try {
      const variant = await this.#variantFor(feeds);
      const request = variant.take();
      try {
        const ovFeeds = Object.fromEntries(
          this.inputs.map((i) => [i.name, toOvTensor(this.#ov, feeds[i.name] as Tensor)]),
        );
        const results = await request.inferAsync(ovFeeds);
        const out: Record<string, Tensor> = {};
        for (const info of this.outputs) {
          if (wanted && !wanted.includes(info.name)) continue;
          const tensor = results[info.name];
          if (tensor) out[info.name] = fromOvTensor(tensor);
        }
        return out;
      } finally {
        variant.give(request);
      }
    } catch (error) {
      throw new RunFailedError(this.#backendId, messageOf(error), { cause: error });
    } finally {
      if (--this.#inFlight === 0) this.#drained?.();
    }
  }

  /** The compiled variant for the feeds' shapes, compiling one on first sight of new shapes. */
  #variantFor(feeds: Feeds): Promise<Variant> {
    const dims = this.inputs.map((i) => (feeds[i.name] as Tensor).dims);
    const key = shapeKey(dims);
    let variant = this.#variants.get(key);
    if (!variant) {
      if (this.#variants.size >= MAX_COMPILED_SHAPES) {
        const oldest = this.#variants.keys().next().value as string;
        this.#variants.delete(oldest);
      }
      const shapes = new Map(this.inputs.map((i, n) => [i.name, `[${(dims[n] ?? []).join(',')}]`]));
      variant = this.#compile(this.#model.clone().reshape(shapes)).then((c) => new Variant(c));
      variant.catch(() => this.#variants.delete(key));
      this.#variants.set(key, variant);
    }
    return variant;
  }

  #checkOutputs(names: readonly string[]): readonly string[] {
    const known = this.outputs.map((o) => o.name);
    for (const name of names) {
      if (!known.includes(name)) {
        throw new InvalidOptionError(
          'outputs',
          `"${name}" is not an output of ${this.#name} (outputs: ${known.join(', ')})`,
        );
      }
    }
    return names;
  }

  dispose(): Promise<void> {
    this.#disposing ??= (async () => {
      if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
      // openvino-node frees compiled models and requests when they are collected.
      this.#variants.clear();
    })();
    return this.#disposing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

/** A compiled model and its pool of idle infer requests. */
class Variant {
  readonly #idle: OvInferRequest[] = [];
  constructor(private readonly compiled: OvCompiledModel) {}
  take(): OvInferRequest {
    return this.#idle.pop() ?? this.compiled.createInferRequest();
  }
  give(request: OvInferRequest): void {
    this.#idle.push(request);
  }
}

function shapeKey(dims: readonly (readonly number[])[]): string {
  return dims.map((d) => d.join('x')).join('|');
}
