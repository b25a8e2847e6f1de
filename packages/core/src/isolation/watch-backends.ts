import { EngineCrashedError } from '../errors/errors.js';
import type { Backend } from '../spec/backend.js';
import type { CrashedBackend } from './messages.js';

/**
 * Wraps a backend so that the host hears which backend is at work before each call into
 * it: if the process then dies, the crash is blamed on that backend. `announce` resolves
 * once the message is on its way, so an abort right after cannot swallow it.
 */
export function watched(
  backend: Backend,
  announce: (backend: string, step: string) => Promise<void>,
): Backend {
  const steps: Record<string, string> = { probe: 'probe', accepts: 'accepts', load: 'load' };
  return new Proxy(backend, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const step = typeof key === 'string' ? steps[key] : undefined;
      if (!step) return value.bind(target);
      return async (...args: unknown[]) => {
        await announce(target.id, step);
        return value.apply(target, args);
      };
    },
  });
}

/**
 * Stands in for a backend that crashed an earlier process on this model: it is not asked
 * again, and the chain records it as a `failed` attempt with code `ENGINE_CRASHED`.
 */
export function crashedStandIn(backend: Backend, crash: CrashedBackend): Backend {
  return {
    specificationVersion: backend.specificationVersion,
    id: backend.id,
    deviceKind: backend.deviceKind,
    ...(backend.displayName !== undefined ? { displayName: backend.displayName } : {}),
    ...(backend.priority !== undefined ? { priority: backend.priority } : {}),
    ...(backend.precision !== undefined ? { precision: backend.precision } : {}),
    formats: backend.formats,
    tasks: backend.tasks,
    // Not probed again: a crash in the probe must not repeat.
    probe: async () => ({ available: true, devices: [] }),
    load: async () => {
      throw Object.assign(new EngineCrashedError(crash.backend, 'load', crash.reason), {
        message: `it crashed the model process (${crash.reason}) on this model; not tried again`,
      });
    },
  };
}
