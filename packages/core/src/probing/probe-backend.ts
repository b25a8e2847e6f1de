import type { TimedProbe } from '../chain/backend-entry.js';
import type { Backend } from '../spec/backend.js';
import { messageOf, since, withTimeout } from '../util/timeout.js';

/**
 * Probes one backend under a time-out. Never rejects: a probe that throws, hangs or
 * returns a malformed result becomes `{ available: false, reason }`.
 */
export async function probeBackend(backend: Backend, timeoutMs: number): Promise<TimedProbe> {
  const start = performance.now();
  try {
    const result = await withTimeout(() => backend.probe(), timeoutMs, `${backend.id} probe()`);
    if (typeof result !== 'object' || result === null || typeof result.available !== 'boolean') {
      return {
        available: false,
        devices: [],
        reason: 'probe() returned a malformed result',
        ms: since(start),
      };
    }
    const devices = Array.isArray(result.devices) ? result.devices : [];
    const reason = result.available ? result.reason : (result.reason ?? 'probe() gave no reason');
    return {
      available: result.available,
      devices,
      ...(reason ? { reason } : {}),
      ...(typeof result.engine === 'string' && result.engine !== ''
        ? { engine: result.engine }
        : {}),
      ms: since(start),
    };
  } catch (error) {
    return {
      available: false,
      devices: [],
      reason: `probe failed: ${messageOf(error)}`,
      ms: since(start),
    };
  }
}
