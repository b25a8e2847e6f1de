import type { CheckedGenerateOptions } from '../validation/check-generation.js';
import type { BackendV1, DeviceInfo, LoadContext, ModelDescriptor } from './backend.js';
import type { Feeds, Tensor, TensorInfo } from './tensor.js';
import type { GenerationInput, StopReason } from './text-generation.js';

/** The backend specification version of sessions: core owns the model's lifecycle. */
export const SPECIFICATION_VERSION_V2 = 'v2' as const;

/** A value that survives `JSON.stringify` unchanged (placement details travel to child processes and logs). */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** How much of the graph the device really runs. */
export type CoverageDetails = {
  /** Units placed on the device; `null` when it could not be measured (`note` says why). */
  readonly onDevice: number | null;
  readonly total: number | null;
  /** What was counted: `nodes`, `ops`, `partitions`… */
  readonly unit: string;
  /** One line for people, e.g. `41/45 nodes on CoreMLExecutionProvider (Gather fell back)`. */
  readonly note: string;
};

/** The threads one inference or generation uses, and why that many. */
export type ThreadsDetails = {
  readonly count: number;
  /** `load option`, `backend default`, `calibrated`, `small model: at most 2`… */
  readonly why: string;
};

/**
 * What a backend learnt while loading, reported to the user as `model.placement.details`.
 * Structured, so the device name stays a name. Backend-specific facts go beside the known
 * keys; they must be JSON values.
 */
export type PlacementDetails = {
  readonly coverage?: CoverageDetails;
  readonly threads?: ThreadsDetails;
  /** The device as the engine names it (`NPU.3720`, `CUDAExecutionProvider:0`, `Vulkan0`). */
  readonly engineDevice?: string;
  /** One line the placement trace adds to the `selected` reason. */
  readonly note?: string;
  readonly [fact: string]: JsonValue | undefined;
};

/** What a backend declares about the sessions it makes. */
export interface BackendCapabilities {
  /** Whether one session may run several inferences at once. Default true; false: core queues runs. */
  readonly concurrentRuns?: boolean;
}

/**
 * A graph model as an engine holds it. Core validates feeds and options, picks outputs,
 * counts runs in flight and disposes once: the session only runs and releases.
 * `Prepared` is what `prepare()` turns validated feeds into (engine tensors, wrapped
 * without copying); core keeps it while the caller passes the same, unchanged tensors.
 */
export interface GraphSession<Prepared = undefined> {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Optional: engine inputs for validated feeds. Called once per new set of feeds. */
  prepare?(feeds: Feeds): Prepared;
  /**
   * One inference. `feeds` passed validation against `inputs`; `outputNames` is non-empty and
   * every name is one of `outputs`. Reject with a typed error (`RunFailedError`) where you can;
   * core turns anything else into `RUN_FAILED`.
   */
  run(
    feeds: Feeds,
    outputNames: readonly string[],
    prepared: Prepared,
  ): Promise<Record<string, Tensor>>;
  /** Frees the engine's session. Core calls it once, after the runs in flight have settled. */
  release(): Promise<void>;
}

/** A generation as core hands it to the engine: input and options checked, defaults filled. */
export interface CheckedGeneration {
  readonly input: GenerationInput;
  /** `signal` here is the caller's; stop on the `signal` argument of `generate()`, which includes it. */
  readonly options: CheckedGenerateOptions;
}

/** What the engine counted for one generation; core adds the timings. */
export interface SessionGeneration {
  readonly text: string;
  readonly promptTokens: number;
  readonly generatedTokens: number;
  readonly stopReason: StopReason;
  /** When the engine saw its first token (ms after `generate()` was called), if it knows. */
  readonly timeToFirstTokenMs?: number;
}

/** What the engine computed for one `embed()`: one vector per text, and the tokens it evaluated. */
export interface SessionEmbedding {
  readonly vectors: Float32Array[];
  readonly promptTokens: number;
}

/**
 * A language model as an engine holds it. Core checks input and options, queues generations
 * in call order, builds `stream()` on `onChunk`, maps aborts and disposes once.
 */
export interface GenerationSession {
  /** Tokens the context holds. */
  readonly contextSize: number;
  /**
   * Optional: tokens `input` takes in the context, as this engine formats it (chat template
   * included). With it core refuses an overflow (`CONTEXT_OVERFLOW`) before generating;
   * without it `generate()` must throw `ContextOverflowError` itself.
   */
  countPromptTokens?(input: GenerationInput): number | Promise<number>;
  /**
   * One generation, after the previous one has ended. Call `onChunk` with text as it is
   * produced. Stop promptly when `signal` aborts: reject with `GenerationAbortedError` carrying
   * the engine's counts (any other rejection becomes one with the chunks' text).
   */
  generate(
    request: CheckedGeneration,
    onChunk: (text: string) => void,
    signal: AbortSignal,
  ): Promise<SessionGeneration>;
  /**
   * Optional: the embedding of each text, in order. `texts` is non-empty and no text is empty;
   * calls are queued with generations. Check `signal` between texts (core rejects with
   * `GenerationAbortedError` once it fires); throw `ContextOverflowError` (with `input`) for a
   * text longer than the context. Without it, `embed()` throws `EmbeddingUnsupportedError`.
   */
  embed?(texts: readonly string[], signal: AbortSignal): Promise<SessionEmbedding>;
  /** Frees the model and its context. Core calls it once, after the last generation. */
  release(): Promise<void>;
}

/** What `load()` of a v2 backend resolves. */
export type LoadedSession =
  | {
      readonly task: 'graph';
      readonly session: GraphSession<unknown>;
      readonly device: DeviceInfo;
      readonly details?: PlacementDetails;
    }
  | {
      readonly task: 'text-generation';
      readonly session: GenerationSession;
      readonly device: DeviceInfo;
      readonly details?: PlacementDetails;
    };

/**
 * A backend, spec version 2: the same identity, probe, `accepts()` and `checkOptions()` as
 * v1, but `load()` returns an engine session; core builds the model the user holds around it.
 */
export interface BackendV2 extends Omit<BackendV1, 'specificationVersion' | 'load'> {
  readonly specificationVersion: typeof SPECIFICATION_VERSION_V2;
  readonly capabilities?: BackendCapabilities;
  /** Loads the model. Errors as in v1: `ModelRejectedError` is `rejected`, anything else `failed`. */
  load(model: ModelDescriptor, context: LoadContext): Promise<LoadedSession>;
}

/** The default export of a v2 plugin entry; its backends may be v1 or v2. */
export interface BackendPluginV2 {
  readonly specificationVersion: typeof SPECIFICATION_VERSION_V2;
  createBackends():
    | readonly (BackendV1 | BackendV2)[]
    | Promise<readonly (BackendV1 | BackendV2)[]>;
}
