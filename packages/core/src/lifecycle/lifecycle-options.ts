import { NpuFirstError } from '../errors/base.js';
import { RunFailedError } from '../errors/errors.js';
import type { BackendCapabilities, PlacementDetails } from '../spec/backend-v2.js';
import { messageOf } from '../util/timeout.js';

/** What a lifecycle needs besides its session: names for messages, and what the load reported. */
export interface LifecycleOptions {
  /** The model's name in messages (`Model <name> has been disposed`). */
  readonly name: string;
  /** The serving backend, named in the `RUN_FAILED` errors core makes of untyped engine errors. */
  readonly backendId: string;
  readonly details?: PlacementDetails;
  readonly capabilities?: BackendCapabilities;
}

/** The line the placement trace adds to `runs on <device>`: the coverage, then the note. */
export function noteOf(details: PlacementDetails | undefined): string | undefined {
  const parts = [details?.coverage?.note, details?.note].filter((p) => p !== undefined && p !== '');
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** An engine error as a typed one: typed errors pass, anything else is `RUN_FAILED`. */
export function typedRunError(backendId: string, error: unknown): NpuFirstError {
  return NpuFirstError.isInstance(error)
    ? error
    : new RunFailedError(backendId, messageOf(error), { cause: error });
}
