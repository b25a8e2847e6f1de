import { NpuFirstError } from '../errors/base.js';
import { AllBackendsFailedError, CorruptModelError, ModelRejectedError } from '../errors/errors.js';
import type { Attempt } from '../placement/placement.js';
import {
  type CommonLoadOptions,
  FORMAT_TASKS,
  type LoadedModel,
  type ModelDescriptor,
} from '../spec/backend.js';
import { messageOf, since, withTimeout } from '../util/timeout.js';
import type { BackendEntry } from './backend-entry.js';
import { type ChainStep, TIER_PACKAGES } from './plan-chain.js';

export interface ChainRequest {
  readonly model: ModelDescriptor;
  readonly steps: readonly ChainStep[];
  readonly options: CommonLoadOptions;
  readonly backendOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly loadTimeoutMs: number;
}

export interface ChainResult {
  readonly loaded: LoadedModel;
  readonly entry: BackendEntry;
  readonly attempts: Attempt[];
}

/**
 * The fallback chain: walks the planned steps in order and stops at the first backend
 * that loads the model. A backend is passed over when it is unavailable, when it rejects
 * the model, or when its load fails or times out; every step becomes an `Attempt`.
 * When nothing loads, the error carries every attempt.
 */
export async function runChain(request: ChainRequest): Promise<ChainResult> {
  const attempts: Attempt[] = [];
  /** What each backend that found the model corrupt said about it. */
  const corrupt: string[] = [];
  let selected: { loaded: LoadedModel; entry: BackendEntry } | undefined;
  for (const step of request.steps) {
    if (step.type === 'excluded') {
      attempts.push({
        backend: step.entry.backend.id,
        deviceKind: step.entry.backend.deviceKind,
        outcome: 'excluded',
        reason: step.reason,
        ms: 0,
      });
      continue;
    }
    if (selected) continue;
    if (step.type === 'empty-tier') {
      const kind = step.deviceKind;
      attempts.push({
        backend: null,
        deviceKind: kind,
        outcome: 'unavailable',
        reason: `no ${kind.toUpperCase()} backend is installed (add ${TIER_PACKAGES[kind]})`,
        ms: 0,
      });
      continue;
    }
    if (step.type === 'missing') {
      attempts.push({
        backend: step.id,
        deviceKind: null,
        outcome: 'unavailable',
        reason: `the policy names backend "${step.id}", which is not installed`,
        ms: 0,
      });
      continue;
    }
    const result = await tryBackend(step.entry, request);
    attempts.push(result.attempt);
    if (result.loaded) selected = { loaded: result.loaded, entry: step.entry };
    if (CorruptModelError.isInstance(result.error)) corrupt.push(result.error.reason);
  }
  if (selected) return { ...selected, attempts };
  throw chainError(request.model, attempts, corrupt);
}

async function tryBackend(
  entry: BackendEntry,
  request: ChainRequest,
): Promise<{ attempt: Attempt; loaded?: LoadedModel; error?: unknown }> {
  const { backend } = entry;
  const { model } = request;
  const start = performance.now();
  const base = { backend: backend.id, deviceKind: backend.deviceKind };
  if (!backend.formats.includes(model.format)) {
    const reason = `takes ${backend.formats.join('/') || 'no'} models; this is ${model.format}`;
    return { attempt: { ...base, outcome: 'rejected', reason, ms: since(start) } };
  }
  const task = FORMAT_TASKS[model.format];
  if (!backend.tasks.includes(task)) {
    const reason = `serves ${backend.tasks.join('/')} models; this ${model.format} model needs ${task}`;
    return { attempt: { ...base, outcome: 'rejected', reason, ms: since(start) } };
  }
  // Format and task are checked first: a backend that cannot take the model is never probed.
  const probe = await entry.probe();
  if (!probe.available) {
    return {
      attempt: {
        ...base,
        outcome: 'unavailable',
        reason: probe.reason ?? 'probe reported unavailable',
        ms: since(start),
      },
    };
  }
  const controller = new AbortController();
  const context = {
    options: request.options,
    backendOptions: request.backendOptions[backend.id],
    probe,
    signal: controller.signal,
  };
  try {
    if (backend.accepts) {
      const verdict = await backend.accepts(model, context);
      if (!verdict.accepted)
        return {
          attempt: { ...base, outcome: 'rejected', reason: verdict.reason, ms: since(start) },
        };
    }
    const loaded = await withTimeout(
      backend.load(model, context),
      request.loadTimeoutMs,
      `${backend.id} load()`,
      {
        controller,
        onLate: (late) => void late.dispose().catch(() => {}),
      },
    );
    const note = loaded.task === 'graph' ? loaded.placementNote : undefined;
    const reason = `runs on ${loaded.device.name}${note ? `: ${note}` : ''}`;
    return { attempt: { ...base, outcome: 'selected', reason, ms: since(start) }, loaded };
  } catch (error) {
    const code = NpuFirstError.isInstance(error) ? error.code : undefined;
    const outcome = ModelRejectedError.isInstance(error) ? 'rejected' : 'failed';
    const reason = ModelRejectedError.isInstance(error) ? error.reason : messageOf(error);
    const attempt: Attempt = {
      ...base,
      outcome,
      reason,
      ms: since(start),
      ...(code ? { code } : {}),
    };
    return { attempt, error };
  }
}

/**
 * When every backend that tried called the model corrupt, the model is the problem, not
 * the backends: surface `MODEL_CORRUPT` (with the attempts) rather than a generic failure.
 */
function chainError(model: ModelDescriptor, attempts: Attempt[], corruptReasons: string[]): Error {
  const tried = attempts.filter((a) => a.outcome === 'failed' || a.outcome === 'rejected');
  if (tried.length > 0 && tried.every((a) => a.code === 'MODEL_CORRUPT')) {
    const error = new CorruptModelError(model.name, [...new Set(corruptReasons)].join('; '));
    error.attempts = attempts;
    return error;
  }
  return new AllBackendsFailedError(model.name, attempts);
}
