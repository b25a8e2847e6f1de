import type { Backend, ProbeResult } from '../spec/backend.js';

/** A probe result with how long it took. */
export interface TimedProbe extends ProbeResult {
  readonly ms: number;
}

/** A backend the runtime knows, where it came from, and its (possibly in-flight) probe. */
export interface BackendEntry {
  readonly backend: Backend;
  readonly source: 'explicit' | 'discovered';
  /** The npm package it came from, for discovered backends. */
  readonly packageName?: string;
  /** The backend's probe result; probed once, on first call (or at creation when eager). */
  readonly probe: () => Promise<TimedProbe>;
}
