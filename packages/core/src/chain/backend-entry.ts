import type { ProbeResult } from '../spec/backend.js';
import type { BackendV2 } from '../spec/backend-v2.js';

/** A probe result with how long it took. */
export interface TimedProbe extends ProbeResult {
  readonly ms: number;
}

/** A backend the runtime knows, where it came from, and its (possibly in-flight) probe. */
export interface BackendEntry {
  /** As spec v2: v1 backends arrive adapted (`adaptV1`). */
  readonly backend: BackendV2;
  readonly source: 'explicit' | 'discovered';
  /** The npm package it came from, for discovered backends. */
  readonly packageName?: string;
  /** The backend's probe result; probed once, on first call (or at creation when eager). */
  readonly probe: () => Promise<TimedProbe>;
}
