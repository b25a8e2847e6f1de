import type { ResolvedPolicy } from '../policy/policy.js';
import { isDeviceKind } from '../policy/policy.js';
import { DEVICE_KINDS, type DeviceKind } from '../spec/backend.js';
import type { BackendEntry } from './backend-entry.js';

/** One step the chain will take, before any backend is asked anything. */
export type ChainStep =
  | { readonly type: 'backend'; readonly entry: BackendEntry }
  /** The policy names a device kind no installed backend serves. */
  | { readonly type: 'empty-tier'; readonly deviceKind: DeviceKind }
  /** The policy names a backend id that is not installed. */
  | { readonly type: 'missing'; readonly id: string }
  | { readonly type: 'excluded'; readonly entry: BackendEntry; readonly reason: string }
  /** A discovered backend package that could not be imported: its backends are unknown. */
  | { readonly type: 'unloadable'; readonly plugin: UnloadablePlugin };

/** A discovered plugin package whose import or `createBackends()` failed or timed out. */
export interface UnloadablePlugin {
  readonly packageName: string;
  readonly reason: string;
  /** `PLUGIN_INVALID` or `TIMEOUT`. */
  readonly code?: string;
}

/** The package that fills each tier, for "install this" hints. */
export const TIER_PACKAGES: Readonly<Record<DeviceKind, string>> = {
  npu: '@npu-first/backend-npu',
  gpu: '@npu-first/backend-gpu',
  cpu: '@npu-first/backend-cpu',
};

/** Sorts by device kind (NPU, GPU, CPU), then priority (high first), then id. */
export function byTierAndPriority(a: BackendEntry, b: BackendEntry): number {
  const kind =
    DEVICE_KINDS.indexOf(a.backend.deviceKind) - DEVICE_KINDS.indexOf(b.backend.deviceKind);
  if (kind !== 0) return kind;
  const priority = (b.backend.priority ?? 0) - (a.backend.priority ?? 0);
  if (priority !== 0) return priority;
  // Plain code-unit order: the first localeCompare() in a process loads ICU's collator (~8 ms).
  return a.backend.id < b.backend.id ? -1 : a.backend.id > b.backend.id ? 1 : 0;
}

/**
 * Expands a policy into the ordered steps of the chain. Kinds expand to their backends
 * by priority; a kind with no backend becomes an `empty-tier` step so the trace says the
 * tier was considered; backends the policy leaves out come last as `excluded`. Plugin packages
 * that could not be imported come first: they might have served any tier, and the trace
 * should say why they did not (rather than report their tier as not installed, alone).
 */
export function planChain(
  entries: readonly BackendEntry[],
  policy: ResolvedPolicy,
  unloadable: readonly UnloadablePlugin[] = [],
): ChainStep[] {
  const sorted = [...entries].sort(byTierAndPriority);
  const used = new Set<BackendEntry>();
  const steps: ChainStep[] = unloadable.map((plugin) => ({ type: 'unloadable', plugin }));
  const exclusion = (entry: BackendEntry): string | undefined => {
    const { id, deviceKind } = entry.backend;
    if (policy.exclude.includes(id) || policy.exclude.includes(deviceKind)) {
      return `excluded by policy (${policy.text})`;
    }
    if (policy.include && !policy.include.includes(id) && !policy.include.includes(deviceKind)) {
      return `not in the policy's include list (${policy.text})`;
    }
    return undefined;
  };
  const take = (entry: BackendEntry) => {
    used.add(entry);
    const reason = exclusion(entry);
    steps.push(
      reason === undefined ? { type: 'backend', entry } : { type: 'excluded', entry, reason },
    );
  };
  for (const item of policy.order) {
    if (isDeviceKind(item)) {
      const ofKind = sorted.filter((e) => e.backend.deviceKind === item);
      if (ofKind.length === 0) {
        const kindLeftOut =
          policy.exclude.includes(item) ||
          (policy.include !== undefined && !policy.include.includes(item));
        if (!kindLeftOut) steps.push({ type: 'empty-tier', deviceKind: item });
      }
      for (const entry of ofKind) if (!used.has(entry)) take(entry);
    } else {
      const entry = sorted.find((e) => e.backend.id === item);
      if (entry === undefined) steps.push({ type: 'missing', id: item });
      else if (!used.has(entry)) take(entry);
    }
  }
  for (const entry of sorted) {
    if (!used.has(entry)) {
      steps.push({
        type: 'excluded',
        entry,
        reason: `the policy (${policy.text}) does not list ${entry.backend.deviceKind} or ${entry.backend.id}`,
      });
    }
  }
  return steps;
}
