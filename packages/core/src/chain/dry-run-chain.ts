import type { AttemptOutcome } from '../placement/placement.js';
import type { DeviceKind, ModelDescriptor } from '../spec/backend.js';
import { messageOf, withTimeout } from '../util/timeout.js';
import { checkBackend, staticAttempt } from './fallback-chain.js';
import { defaultLoadTimeoutMs } from './load-timeout.js';
import type { ChainStep } from './plan-chain.js';

/** What the chain would do at one step, found without loading the model anywhere. */
export interface DryRunStep {
  readonly backend: string | null;
  readonly deviceKind: DeviceKind | null;
  /**
   * `eligible`: it takes the format and task, its probe found its device, and its `accepts()`
   * (where it has one) said yes — the chain would try `load()` here. Otherwise the outcome the
   * chain would record for it, before any load.
   */
  readonly verdict: 'eligible' | Extract<AttemptOutcome, 'rejected' | 'unavailable' | 'excluded'>;
  readonly reason: string;
}

/**
 * The chain's checks for `model`, step by step, without `load()`: format and task fit, the
 * probe (only for backends that take the format, as a real load), and `accepts()`. A backend
 * that is eligible here can still fail to load; only a load can tell. Each `accepts()` is
 * bounded by `timeoutMs` (default: the load time-out for the model's size).
 */
export async function dryRunChain(
  steps: readonly ChainStep[],
  model: ModelDescriptor,
  timeoutMs: number = defaultLoadTimeoutMs(model.sizeBytes),
): Promise<DryRunStep[]> {
  const result: DryRunStep[] = [];
  for (const step of steps) {
    if (step.type !== 'backend') {
      const a = staticAttempt(step);
      result.push({ ...a, verdict: a.outcome as DryRunStep['verdict'] });
      continue;
    }
    const checked = await checkBackend(step.entry, model);
    const { backend } = step.entry;
    const base = { backend: backend.id, deviceKind: backend.deviceKind };
    if ('attempt' in checked) {
      const { outcome, reason } = checked.attempt;
      result.push({ ...base, verdict: outcome as DryRunStep['verdict'], reason });
      continue;
    }
    const { probe } = checked.eligible;
    const device = probe.devices[0]?.name ?? backend.deviceKind;
    if (!backend.accepts) {
      result.push({ ...base, verdict: 'eligible', reason: `would load on ${device}` });
      continue;
    }
    const controller = new AbortController();
    const context = { options: {}, backendOptions: undefined, probe, signal: controller.signal };
    const verdict = await withTimeout(
      () => backend.accepts?.(model, context),
      timeoutMs,
      `${backend.id} accepts()`,
      { controller },
    ).catch((error: unknown) => ({ accepted: false as const, reason: messageOf(error) }));
    result.push(
      verdict === undefined || verdict.accepted
        ? { ...base, verdict: 'eligible', reason: `accepts it; would load on ${device}` }
        : { ...base, verdict: 'rejected', reason: verdict.reason },
    );
  }
  return result;
}
