import {
  type Feeds,
  type GraphSession,
  messageOf,
  RunFailedError,
  type Tensor,
  type TensorInfo,
} from '@npu-first/core';
import type { OvAddon, OvCompiledModel, OvInferRequest, OvModel } from './openvino-api.js';
import { fromOvTensor, toOvTensor } from './openvino-tensors.js';

/** Compiled variants kept per model when feeds arrive in new shapes. */
const MAX_COMPILED_SHAPES = 8;

/** What a load hands the session: the model, its first compilation and how to compile more. */
export interface OpenVinoSessionParts {
  readonly ov: OvAddon;
  readonly model: OvModel;
  readonly compiled: OvCompiledModel;
  readonly compile: (model: OvModel) => Promise<OvCompiledModel>;
  readonly staticShapes: ReadonlyMap<string, readonly number[]>;
  readonly backendId: string;
}

/**
 * A model compiled for the Intel NPU by OpenVINO, as a spec v2 engine session: core validates
 * feeds and options, picks outputs and drains runs before `release()`. `run()` wraps feeds as
 * OpenVINO tensors without copying and copies the outputs asked for back. NPU compilation is
 * for static shapes: the model is compiled for its pinned shapes at load, and a feed in another
 * shape (a symbolic dimension left unpinned) compiles — once, then cached — a variant reshaped
 * to it. Infer requests are pooled, so concurrent runs do not share one.
 */
export class OpenVinoGraphSession implements GraphSession {
  readonly #ov: OvAddon;
  readonly #model: OvModel;
  readonly #compile: (model: OvModel) => Promise<OvCompiledModel>;
  readonly #backendId: string;
  readonly #variants = new Map<string, Promise<Variant>>();

  constructor(
    parts: OpenVinoSessionParts,
    readonly inputs: readonly TensorInfo[],
    readonly outputs: readonly TensorInfo[],
  ) {
    this.#ov = parts.ov;
    this.#model = parts.model;
    this.#compile = parts.compile;
    this.#backendId = parts.backendId;
    const key = shapeKey(inputs.map((i) => parts.staticShapes.get(i.name) ?? []));
    this.#variants.set(key, Promise.resolve(new Variant(parts.compiled)));
  }

  async run(feeds: Feeds, outputNames: readonly string[]): Promise<Record<string, Tensor>> {
    try {
      const variant = await this.#variantFor(feeds);
      const request = variant.take();
      try {
        const ovFeeds = Object.fromEntries(
          this.inputs.map((i) => [i.name, toOvTensor(this.#ov, feeds[i.name] as Tensor)]),
        );
        const results = await request.inferAsync(ovFeeds);
        const out: Record<string, Tensor> = {};
        for (const name of outputNames) {
          const tensor = results[name];
          if (tensor) out[name] = fromOvTensor(tensor);
        }
        return out;
      } finally {
        variant.give(request);
      }
    } catch (error) {
      throw new RunFailedError(this.#backendId, messageOf(error), { cause: error });
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

  async release(): Promise<void> {
    // openvino-node frees compiled models and requests when they are collected.
    this.#variants.clear();
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
