import type { Backend } from '@npu-first/core';
import type { Tolerance } from './tolerance.js';

/**
 * What a backend can and cannot do, declared by its author so the suite runs the cases that
 * apply to it — with shapes pinned where it needs them — and skips the rest with a reason.
 * Everything not listed here is required of every backend by the spec.
 */
export interface ConformanceCapabilities {
  /**
   * The backend compiles fixed input shapes only (most NPUs): a model with symbolic
   * dimensions must have them pinned through its `backendOptions` before it loads. The
   * suite then loads the symbolic-batch fixture once per batch size, pinned with
   * {@link ConformanceOptions.pinShapes}, instead of running one model at several sizes,
   * and checks that an unpinned symbolic model is refused (by `accepts()` or by `load()`
   * with `MODEL_REJECTED`). Without `pinShapes` those cases are skipped, each with a reason.
   */
  readonly staticShapesOnly?: boolean;
}

/** Sizes for a fixture's symbolic dimensions, e.g. `{ batch: 4 }`. */
export type PinnedDims = Readonly<Record<string, number>>;

export interface ConformanceOptions {
  /** The backend under test, or a factory called once. */
  readonly backend: Backend | (() => Backend | Promise<Backend>);
  /** What the backend can do; see {@link ConformanceCapabilities}. Default: everything. */
  readonly capabilities?: ConformanceCapabilities;
  /**
   * The `backendOptions` for this backend (what `LoadContext.backendOptions` receives) that
   * pin symbolic dimensions to `dims`: for the NPU backends, `(dims) => ({ shapes: dims })`.
   * Used when `capabilities.staticShapesOnly` is set.
   */
  readonly pinShapes?: (dims: PinnedDims) => Readonly<Record<string, unknown>>;
  /** Override the tolerance chosen from the backend's `precision`. */
  readonly tolerance?: Tolerance;
  /**
   * Fail, rather than skip, when the backend reports itself unavailable: for CI runners
   * that have the hardware. Also set by `NPU_FIRST_REQUIRE_BACKENDS=id1,id2`.
   */
  readonly requireAvailable?: boolean;
  /** Concurrent runs in the concurrency case. Default 32. */
  readonly concurrency?: number;
  /** Bound on the factory and on each `probe()` in ms: past it the case fails. Default 30 000. */
  readonly probeTimeoutMs?: number;
  /** Bound on each `accepts()` in ms; it must be a cheap check. Default 10 000. */
  readonly acceptsTimeoutMs?: number;
  /** Bound on each `load()` in ms. Default 45 000 (under the 60 000 ms test time-out). */
  readonly loadTimeoutMs?: number;
}

/** The options with their defaults filled in. */
export interface Settings {
  readonly staticShapesOnly: boolean;
  readonly pinShapes: ConformanceOptions['pinShapes'];
  readonly concurrency: number;
  readonly probeTimeoutMs: number;
  readonly acceptsTimeoutMs: number;
  readonly loadTimeoutMs: number;
}

export function settingsOf(options: ConformanceOptions): Settings {
  return {
    staticShapesOnly: options.capabilities?.staticShapesOnly === true,
    pinShapes: options.pinShapes,
    concurrency: options.concurrency ?? 32,
    probeTimeoutMs: options.probeTimeoutMs ?? 30_000,
    acceptsTimeoutMs: options.acceptsTimeoutMs ?? 10_000,
    loadTimeoutMs: options.loadTimeoutMs ?? 45_000,
  };
}
