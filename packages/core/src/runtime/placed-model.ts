import type { Placement } from '../placement/placement.js';
import type { DeviceInfo, GraphModel, LoadedModel, RunOptions } from '../spec/backend.js';
import type { Feeds, Tensor, TensorInfo } from '../spec/tensor.js';
import type {
  GenerateOptions,
  GenerationInput,
  GenerationResult,
  GenerationStream,
  TextGenerator,
} from '../spec/text-generation.js';
import { checkRunOptions } from '../validation/check-run-options.js';

/**
 * A loaded graph model with its placement. It forwards straight to the backend's model: the
 * runtime adds only a check of `run()`'s options (feeds are the backend's to validate).
 */
export class PlacedGraphModel implements GraphModel {
  readonly task = 'graph' as const;
  readonly #inner: GraphModel;
  readonly placement: Placement;

  constructor(inner: GraphModel, placement: Placement) {
    this.#inner = inner;
    this.placement = placement;
  }

  get inputs(): readonly TensorInfo[] {
    return this.#inner.inputs;
  }

  get outputs(): readonly TensorInfo[] {
    return this.#inner.outputs;
  }

  get device(): DeviceInfo {
    return this.#inner.device;
  }

  run(feeds: Feeds, options?: RunOptions): Promise<Record<string, Tensor>> {
    try {
      checkRunOptions(options, this.#inner.outputs);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#inner.run(feeds, options);
  }

  dispose(): Promise<void> {
    return this.#inner.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.#inner.dispose();
  }
}

/** A loaded language model with its placement; forwards to the backend's generator. */
export class PlacedTextGenerator implements TextGenerator {
  readonly task = 'text-generation' as const;
  readonly #inner: TextGenerator;
  readonly placement: Placement;

  constructor(inner: TextGenerator, placement: Placement) {
    this.#inner = inner;
    this.placement = placement;
  }

  get device(): DeviceInfo {
    return this.#inner.device;
  }

  get contextSize(): number {
    return this.#inner.contextSize;
  }

  generate(input: GenerationInput, options?: GenerateOptions): Promise<GenerationResult> {
    return this.#inner.generate(input, options);
  }

  stream(input: GenerationInput, options?: GenerateOptions): GenerationStream {
    return this.#inner.stream(input, options);
  }

  dispose(): Promise<void> {
    return this.#inner.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.#inner.dispose();
  }
}

/** Any loaded model with its placement; narrow with `model.task`. */
export type PlacedModel = PlacedGraphModel | PlacedTextGenerator;

export function placeModel(inner: LoadedModel, placement: Placement): PlacedModel {
  return inner.task === 'graph'
    ? new PlacedGraphModel(inner, placement)
    : new PlacedTextGenerator(inner, placement);
}
