import type { LoadedSession } from '../spec/backend-v2.js';
import { GenerationLifecycle } from './generation-lifecycle.js';
import { GraphLifecycle } from './graph-lifecycle.js';
import type { LifecycleOptions } from './lifecycle-options.js';

/** The model a user holds, built around what a v2 backend's `load()` returned. */
export type LifecycleModel = GraphLifecycle | GenerationLifecycle;

/** Wraps a loaded session in its lifecycle, with the device and details the load reported. */
export function openLifecycle(
  loaded: LoadedSession,
  options: Omit<LifecycleOptions, 'details'>,
): LifecycleModel {
  const full = loaded.details ? { ...options, details: loaded.details } : options;
  return loaded.task === 'graph'
    ? new GraphLifecycle(loaded.session, loaded.device, full)
    : new GenerationLifecycle(loaded.session, loaded.device, full);
}
