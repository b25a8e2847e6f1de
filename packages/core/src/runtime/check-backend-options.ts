import { InvalidOptionError } from '../errors/errors.js';
import type { Backend } from '../spec/backend.js';
import { isKnownBackendId, KNOWN_BACKEND_IDS } from '../spec/known-backends.js';
import { messageOf } from '../util/timeout.js';
import { didYouMean } from '../validation/did-you-mean.js';

/**
 * Checks `backendOptions` before the chain starts: each installed backend checks its own entry
 * (`checkOptions`), and an id no installed backend has is refused unless it is a first-party
 * id — options for a backend this machine lacks are legitimate in an app that ships one
 * configuration everywhere — so a typo in an id or a key is a usage error, never a backend
 * the chain silently passed over.
 */
export function checkBackendOptions(
  backendOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  backends: readonly Backend[],
): void {
  for (const [id, options] of Object.entries(backendOptions)) {
    const backend = backends.find((b) => b.id === id);
    if (backend === undefined) {
      if (isKnownBackendId(id)) continue;
      const ids = [...new Set([...backends.map((b) => b.id), ...KNOWN_BACKEND_IDS])];
      const installed = backends.map((b) => b.id).join(', ') || 'none';
      throw new InvalidOptionError(
        `backendOptions.${id}`,
        `no backend has the id "${id}"${didYouMean(id, ids)} (installed: ${installed})`,
      );
    }
    if (typeof backend.checkOptions !== 'function') continue;
    try {
      backend.checkOptions(options);
    } catch (error) {
      if (InvalidOptionError.isInstance(error)) throw error;
      // A plugin's checker that throws something else still reports a usage error.
      throw new InvalidOptionError(`backendOptions.${id}`, messageOf(error));
    }
  }
}
