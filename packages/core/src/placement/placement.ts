import type { DeviceKind, LoadedModel, ModelFormat } from '../spec/backend.js';
import type { PlacementDetails } from '../spec/backend-v2.js';

/** How one step of the chain ended. */
export type AttemptOutcome =
  /** This backend serves the model. */
  | 'selected'
  /** The backend cannot run on this machine (probe said so), or no backend of the tier is installed. */
  | 'unavailable'
  /** The backend runs here but cannot take this model (format, task, shapes, operators). */
  | 'rejected'
  /** The backend tried to load the model and its engine failed. */
  | 'failed'
  /** It loaded and was measured on the model's inputs, but another backend serves the workload better. */
  | 'passed-over'
  /** The policy left this backend out. */
  | 'excluded';

/** One step of the chain, in the order it was taken. */
export interface Attempt {
  /**
   * Backend id; `null` for a tier with no backend installed; the package name for a plugin
   * package that could not be loaded (its backends are unknown).
   */
  readonly backend: string | null;
  /**
   * `null` for a backend id the policy names but that is not installed, and for a plugin
   * package that could not be loaded.
   */
  readonly deviceKind: DeviceKind | null;
  readonly outcome: AttemptOutcome;
  /** Why, in words a person can act on. For `selected`, what it runs on. */
  readonly reason: string;
  /** Time spent on this step (probe wait, checks, load), in milliseconds. */
  readonly ms: number;
  /** The error code behind a `failed` or `rejected` outcome, when there was one. */
  readonly code?: string;
  /** What measured selection saw of this backend (candidates it timed, or found in its cache). */
  readonly measurement?: Measurement;
}

/** One candidate's figures from a selection trial. */
export interface Measurement {
  /**
   * Wall time of one run, in ms — the lower quartile of the trial's samples: an inference for
   * graph models; for language models the time of a reference request, from the median prompt
   * and decoding speeds (see `docs/measured-selection.md`).
   */
  readonly msPerRun?: number;
  /** Timed runs behind the median (warm-up runs excluded). */
  readonly runs: number;
  /** Language models: prompt tokens a second and generated tokens a second. */
  readonly promptTokensPerSecond?: number;
  readonly tokensPerSecond?: number;
  /**
   * Outputs compared with the reference's (the first CPU candidate) on the same inputs:
   * `differ` means wrong (a relative L2 error over 0.5, NaNs, other shapes), not rounding.
   */
  readonly outputs?: 'agree' | 'differ' | 'unchecked';
  /** The relative L2 error behind `outputs`, for the record. */
  readonly outputError?: number;
  /** Set when the trial could not measure it: a run that threw, hung or gave different outputs. */
  readonly failure?: string;
  /** `trial`: measured during this load; `cache`: a verdict kept from an earlier trial (`at`). */
  readonly source: 'trial' | 'cache';
  /** When it was measured (ISO 8601). */
  readonly at: string;
}

/** How the chain committed to the backend that serves. */
export interface SelectionReport {
  readonly objective: 'preferred' | 'latency' | 'first';
  /**
   * `first`: the first backend that loaded, unmeasured; `single`: only one backend could serve,
   * nothing to compare; `trial`: candidates timed during this load; `cache`: verdicts from an
   * earlier trial; `kept`: no trial could judge (all failed, or too costly), the preferred stays.
   */
  readonly method: 'first' | 'single' | 'trial' | 'cache' | 'kept';
  /** For `preferred`: how many times slower than the fastest the preferred backend could be. */
  readonly tolerance?: number;
  /** The inputs the candidates were timed on, e.g. `input float32 [1, 576], sr int64 []`. */
  readonly inputs?: string;
  /** Symbolic dimensions nobody gave a size for, and the size the trial guessed. */
  readonly guessed?: Readonly<Record<string, number>>;
  /** Time spent loading alternatives and timing them, in ms. */
  readonly ms?: number;
  /** Anything else worth knowing: a cache that could not be read, a trial skipped and why. */
  readonly notes?: readonly string[];
}

/** Where a model landed and why every better choice was passed over. */
export interface Placement {
  readonly backend: string;
  readonly deviceKind: DeviceKind;
  /** Name of the device, e.g. the CPU model. */
  readonly device: string;
  /**
   * What the serving backend reported at load: op coverage and its note, threads and why, the
   * device as the engine names it. Set by the runtime (`{}` when the backend reported nothing;
   * a v1 backend's `placementNote` is `details.note`); follows the model when it moves.
   */
  readonly details?: PlacementDetails;
  readonly attempts: readonly Attempt[];
  readonly policy: { readonly source: PolicySource; readonly text: string };
  readonly model: {
    readonly name: string;
    readonly format: ModelFormat;
    readonly sizeBytes: number;
  };
  /** How the chain chose among the backends that could serve (measured selection). */
  readonly selection: SelectionReport;
  /** Wall time of the whole placement, in milliseconds. */
  readonly totalMs: number;
  /**
   * Moves while serving: each time a run or generation failed on the serving backend with an
   * engine or device error and the model was re-placed on the next candidate of its chain
   * (`to: null` when none could take it and the error was rethrown). See docs/failover.md.
   */
  readonly failovers?: readonly ServingMove[];
  /** Warm start (`warmStart: true`): the accelerator taking over from the CPU, or why it could not. */
  readonly handovers?: readonly ServingMove[];
}

/** One move of a model from the backend serving it to another, while it served. */
export interface ServingMove {
  /** The backend that served before. */
  readonly from: string;
  /** The backend that serves now; `null` when no candidate could take the model. */
  readonly to: string | null;
  /** Why, e.g. `Inference on gpu-x failed: device lost` or `warm start: gpu-x ready after 812 ms`. */
  readonly reason: string;
  /** The code of the error that caused it (`RUN_FAILED`, `TIMEOUT`…); absent for a warm-start hand-over. */
  readonly code?: string;
  /** When it happened (ISO 8601). */
  readonly at: string;
  /** The candidates tried for the move, in the chain's order. */
  readonly attempts: readonly Attempt[];
}

/** Where the policy in force came from. */
export type PolicySource = 'default' | 'option' | 'env';

/** The details a loaded model carries (core's lifecycles and remote models do), or `{}`. */
export function detailsOf(model: LoadedModel): PlacementDetails {
  return (model as { readonly details?: PlacementDetails }).details ?? {};
}
