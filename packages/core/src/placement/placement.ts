import type { DeviceKind, ModelFormat } from '../spec/backend.js';

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
  /** The policy left this backend out. */
  | 'excluded';

/** One step of the chain, in the order it was taken. */
export interface Attempt {
  /** Backend id; `null` for a tier with no backend installed. */
  readonly backend: string | null;
  /** `null` only for a backend id the policy names but that is not installed. */
  readonly deviceKind: DeviceKind | null;
  readonly outcome: AttemptOutcome;
  /** Why, in words a person can act on. For `selected`, what it runs on. */
  readonly reason: string;
  /** Time spent on this step (probe wait, checks, load), in milliseconds. */
  readonly ms: number;
  /** The error code behind a `failed` or `rejected` outcome, when there was one. */
  readonly code?: string;
}

/** Where a model landed and why every better choice was passed over. */
export interface Placement {
  readonly backend: string;
  readonly deviceKind: DeviceKind;
  /** Name of the device, e.g. the CPU model. */
  readonly device: string;
  readonly attempts: readonly Attempt[];
  readonly policy: { readonly source: PolicySource; readonly text: string };
  readonly model: {
    readonly name: string;
    readonly format: ModelFormat;
    readonly sizeBytes: number;
  };
  /** Wall time of the whole placement, in milliseconds. */
  readonly totalMs: number;
}

/** Where the policy in force came from. */
export type PolicySource = 'default' | 'option' | 'env';
