import type { BackendPluginV2, BackendV2 } from './backend-v2.js';
import type { Feeds, Tensor, TensorInfo } from './tensor.js';
import type { TextGenerator } from './text-generation.js';

/** The backend specification version this package implements. */
export const SPECIFICATION_VERSION = 'v1' as const;
export type SpecificationVersion = typeof SPECIFICATION_VERSION;

/** The kinds of processor, in the order the default policy tries them. */
export const DEVICE_KINDS = ['npu', 'gpu', 'cpu'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** Model file formats npu-first recognises from their bytes. */
export type ModelFormat = 'onnx' | 'gguf';

/** What a loaded model does. `graph`: tensors in, tensors out (ONNX). `text-generation`: a language model (GGUF). */
export type ModelTask = 'graph' | 'text-generation';

/** The task each model format serves. */
export const FORMAT_TASKS: Readonly<Record<ModelFormat, ModelTask>> = {
  onnx: 'graph',
  gguf: 'text-generation',
};

/** Numeric precision a backend computes in; the testkit picks its tolerance from it. */
export type Precision = 'fp32' | 'fp16' | 'int8';

/** One processor a backend found. */
export interface DeviceInfo {
  /** Human-readable name, e.g. `"Intel(R) Core(TM) Ultra 7 155H"` or `"NVIDIA RTX 4090"`. */
  readonly name: string;
  readonly vendor?: string;
  /** Kernel driver or runtime that drives it (`intel_vpu`, `CUDA 12.4`…). */
  readonly driver?: string;
  readonly memoryBytes?: number;
  /** Anything else worth showing (`{ cores: 8 }`), printed by `npu-first devices`. */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/** What `probe()` found. */
export interface ProbeResult {
  readonly available: boolean;
  /** Devices seen, also when unavailable (an NPU found but not drivable is still listed). */
  readonly devices: readonly DeviceInfo[];
  /**
   * Required when `available` is false: what is missing and what would fix it, written
   * for a person ("onnxruntime-node is not installed: npm i onnxruntime-node").
   */
  readonly reason?: string;
  /**
   * The engine that answered, with its version (`onnxruntime-node 1.30.0`,
   * `node-llama-cpp 3.22.1 (vulkan)`). Part of the key under which measured placement
   * verdicts are kept: a new engine version measures again.
   */
  readonly engine?: string;
}

/** A model, identified and sized before any backend sees it. */
export interface ModelDescriptor {
  readonly format: ModelFormat;
  /** File name, or `"<bytes>"` for an in-memory model; used in messages. */
  readonly name: string;
  /** Absolute path when loaded from disk. Exactly one of `path` and `bytes` is set. */
  readonly path?: string;
  readonly bytes?: Uint8Array;
  readonly sizeBytes: number;
}

/** Graph-optimisation levels, as ONNX Runtime names them. */
export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

/** Options every backend understands. Backend-specific options go in `backendOptions`. */
export interface CommonLoadOptions {
  /** Threads for one inference (intra-op) or generation. Default: the backend's choice for this machine. */
  readonly threads?: number;
  readonly graphOptimizationLevel?: GraphOptimizationLevel;
  /** Context size in tokens for language models. Default: the backend's choice (at most the model's). */
  readonly contextSize?: number;
}

/** What the chain hands a backend's `load()`. */
export interface LoadContext {
  readonly options: CommonLoadOptions;
  /**
   * `backendOptions[backend.id]` from the caller: its shape (an object) is checked by core, its
   * keys and values by the backend's `checkOptions()` before the chain starts, where it has one.
   */
  readonly backendOptions: Readonly<Record<string, unknown>> | undefined;
  /** This backend's probe result, so `load()` need not probe again. */
  readonly probe: ProbeResult;
  /** Aborted when the load is abandoned (time-out): stop work and release what was made. */
  readonly signal: AbortSignal;
}

/** Outcome of the optional `accepts()` pre-check. */
export type AcceptResult =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly reason: string };

/** Per-inference options. */
export interface RunOptions {
  /** Output names to compute; default all. */
  readonly outputs?: readonly string[];
}

/** A model loaded on a backend that maps tensors to tensors. */
export interface GraphModel extends AsyncDisposable {
  readonly task: 'graph';
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** The device the model runs on. */
  readonly device: DeviceInfo;
  /**
   * One line the placement trace adds to this backend's `selected` reason: what the backend
   * measured at load time, e.g. `41/45 nodes on CoreMLExecutionProvider`.
   */
  readonly placementNote?: string;
  /**
   * Runs one inference. Feeds are validated against `inputs` first; a mismatch throws
   * `InvalidInputError` naming the input. Concurrent calls are allowed.
   */
  run(feeds: Feeds, options?: RunOptions): Promise<Record<string, Tensor>>;
  /** Releases the engine session. Idempotent; later `run()` calls throw `ModelDisposedError`. */
  dispose(): Promise<void>;
}

/** Every kind of loaded model; `task` tells them apart. */
export type LoadedModel = GraphModel | TextGenerator;

/**
 * A backend, spec version 1. Implement this to add a processor or engine to the chain;
 * prove it with `runBackendConformance()` from `@npu-first/testkit`.
 */
export interface BackendV1 {
  readonly specificationVersion: SpecificationVersion;
  /** Stable, unique id, `<device>-<engine>[-<variant>]` by convention: `cpu-onnxruntime`. */
  readonly id: string;
  readonly deviceKind: DeviceKind;
  /** Human name for listings; defaults to `id`. */
  readonly displayName?: string;
  /** Order within its device kind: higher first. Default 0. */
  readonly priority?: number;
  readonly formats: readonly ModelFormat[];
  readonly tasks: readonly ModelTask[];
  /** Default `fp32`. */
  readonly precision?: Precision;
  /**
   * Says whether this backend can run here. Must not throw for an expected absence
   * (missing engine, no device): resolve `{ available: false, reason }` instead. Keep it cheap;
   * the runtime bounds it with a time-out and calls it once per runtime.
   */
  probe(): Promise<ProbeResult>;
  /**
   * Optional: validates this backend's own `backendOptions[id]` — unknown keys and bad values —
   * by throwing `InvalidOptionError` naming the option (`backendOptions.<id>.<key>`). The runtime
   * calls it for every load that passes options to this backend, before the chain starts, so a
   * typo is a usage error instead of a failed attempt the chain moves past. Synchronous and
   * cheap: it must not load an engine. A lazy backend declares it in its descriptor.
   */
  checkOptions?(options: Readonly<Record<string, unknown>>): void;
  /** Optional cheap check before `load()`: static shapes, size limits, operator support. */
  accepts?(model: ModelDescriptor, context: LoadContext): AcceptResult | Promise<AcceptResult>;
  /**
   * Loads the model. Throw `ModelRejectedError` when this backend cannot take the model
   * (the chain records `rejected`); any other error records `failed`. Either way the chain
   * moves on to the next backend.
   */
  load(model: ModelDescriptor, context: LoadContext): Promise<LoadedModel>;
}

/**
 * A backend the runtime drives: spec v2 (`load()` returns an engine session, core owns the
 * model) or v1 (`load()` returns the model; core adapts it). `specificationVersion` tells them apart.
 */
export type Backend = BackendV1 | BackendV2;

/**
 * What a v1 backend package's plugin entry exports by default. Listed in its `package.json`
 * under `"npu-first": { "plugin": "./dist/plugin.js" }`; see the README for discovery.
 */
export interface BackendPluginV1 {
  readonly specificationVersion: SpecificationVersion;
  /** Creates the package's backends. Must be cheap: load engines lazily in `probe()`/`load()`. */
  createBackends(): readonly Backend[] | Promise<readonly Backend[]>;
}

/** A plugin entry's default export, either spec version; its backends may be v1 or v2. */
export type BackendPlugin = BackendPluginV1 | BackendPluginV2;

/** Identity helper that gives a plugin object its type. */
export function defineBackendPlugin(plugin: BackendPlugin): BackendPlugin {
  return plugin;
}
