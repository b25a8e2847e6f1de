import { InvalidOptionError } from '../errors/errors.js';
import { DEVICE_KINDS } from '../spec/backend.js';
import { isKnownBackendId, KNOWN_BACKEND_IDS } from '../spec/known-backends.js';
import { didYouMean } from '../validation/did-you-mean.js';
import { POLICY_ENV, POLICY_PRESETS, type ResolvedPolicy } from './policy.js';

/**
 * Refuses a policy that names something that is neither a device kind, an installed backend
 * id, nor a first-party backend id (which may be absent here: the chain records it as
 * missing). A typo (`npu-frist`, `CPU`) would otherwise match nothing and quietly change which
 * backends are tried. `installed`: the ids of the backends this runtime has.
 */
export function checkPolicyNames(policy: ResolvedPolicy, installed: readonly string[]): void {
  const valid = (name: string) =>
    (DEVICE_KINDS as readonly string[]).includes(name) ||
    installed.includes(name) ||
    isKnownBackendId(name);
  for (const key of ['order', 'include', 'exclude'] as const) {
    for (const name of policy[key] ?? []) {
      if (valid(name)) continue;
      const candidates = [
        ...Object.keys(POLICY_PRESETS),
        ...DEVICE_KINDS,
        ...installed,
        ...KNOWN_BACKEND_IDS,
      ];
      const option = policy.source === 'env' ? POLICY_ENV : 'policy';
      throw new InvalidOptionError(
        option,
        `${key} names "${name}", which is not a preset, a device kind (${DEVICE_KINDS.join(', ')}) or a backend id${didYouMean(name, candidates)}; installed backends: ${installed.join(', ') || 'none'}`,
      );
    }
  }
}
