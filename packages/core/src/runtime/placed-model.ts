import type { Placement } from '../placement/placement.js';
import type { DeviceInfo, GraphModel, RunOptions } from '../spec/backend.js';
import type { Feeds, Tensor, TensorInfo } from '../spec/tensor.js';

/**
 * A loaded model with its placement. It forwards straight to the backend's model: the
 * runtime adds nothing to the inference path.
 */
export class PlacedModel implements GraphModel {
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
    return this.#inner.run(feeds, options);
  }

  dispose(): Promise<void> {
    return this.#inner.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.#inner.dispose();
  }
}
