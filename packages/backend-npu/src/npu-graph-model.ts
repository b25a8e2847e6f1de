import type {
  DeviceInfo,
  Feeds,
  GraphModel,
  RunOptions,
  Tensor,
  TensorInfo,
} from '@npu-first/core';
import type { OpCoverage } from './op-coverage/parse-profile.js';

/** A graph model on an NPU, with what was measured about where its graph runs. */
export interface NpuGraphModel extends GraphModel {
  /**
   * Where the graph's nodes ran in the profiled first inference; `null` when it could not
   * be measured (see `coverageNote`).
   */
  readonly coverage: OpCoverage | null;
  /** One line for people: the coverage, or why it was not measured. */
  readonly coverageNote: string;
}

/**
 * Wraps an engine's graph model with the NPU device it landed on and its coverage. The
 * coverage line is the model's `placementNote`, so the placement trace's reason reads
 * "runs on Apple Neural Engine: 41/45 nodes on CoreMLExecutionProvider …".
 */
export class CoveredGraphModel implements NpuGraphModel {
  readonly task = 'graph' as const;

  constructor(
    private readonly inner: GraphModel,
    readonly device: DeviceInfo,
    readonly coverage: OpCoverage | null,
    readonly coverageNote: string,
  ) {}

  get placementNote(): string {
    return this.coverageNote;
  }

  get inputs(): readonly TensorInfo[] {
    return this.inner.inputs;
  }

  get outputs(): readonly TensorInfo[] {
    return this.inner.outputs;
  }

  run(feeds: Feeds, options?: RunOptions): Promise<Record<string, Tensor>> {
    return this.inner.run(feeds, options);
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
