import { NpuFirstError } from '../errors/base.js';
import {
  AllBackendsFailedError,
  CorruptModelError,
  InvalidOptionError,
  ModelRejectedError,
  TimeoutError,
} from '../errors/errors.js';
import { openLifecycle } from '../lifecycle/open-lifecycle.js';
import type { Attempt } from '../placement/placement.js';
import {
  type CommonLoadOptions,
  FORMAT_TASKS,
  type LoadedModel,
  type ModelDescriptor,
} from '../spec/backend.js';
import type { LoadedSession } from '../spec/backend-v2.js';
import { messageOf, since, withTimeout } from '../util/timeout.js';
import type { BackendEntry, TimedProbe } from './backend-entry.js';
import { type ChainStep, TIER_PACKAGES } from './plan-chain.js';

export interface ChainRequest {
  readonly model: ModelDescriptor;
  readonly steps: readonly ChainStep[];
  readonly options: CommonLoadOptions;
  readonly backendOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Bound on each backend's `accepts()` and `load()` together. */
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
 * When nothing loads, the error carries every attempt. An `InvalidOptionError` from a
 * backend stops the chain: the caller's options are wrong, and another tier would only hide it.
 */
export async function runChain(request: ChainRequest): Promise<ChainResult> {
  const attempts: Attempt[] = [];
  /** The backends asked to load the model (`accepts()`/`load()`), and how each ended. */
  const tries: LoadTry[] = [];
  let selected: { loaded: LoadedModel; entry: BackendEntry } | undefined;
  for (const step of request.steps) {
    if (step.type === 'excluded') {
      attempts.push(staticAttempt(step));
      continue;
    }
    if (selected) continue;
    if (step.type !== 'backend') {
      attempts.push(staticAttempt(step));
      continue;
    }
    const checked = await checkBackend(step.entry, request.model);
    if ('attempt' in checked) {
      attempts.push(checked.attempt);
      continue;
    }
    const result = await loadOn(checked.eligible, request);
    attempts.push(result.attempt);
    tries.push(result);
    if (result.loaded) selected = { loaded: result.loaded, entry: step.entry };
  }
  if (selected) return { ...selected, attempts };
  throw chainError(request.model, attempts, tries);
}

/** A step whose backend can be asked to load: format and task match, and its probe says available. */
export interface Eligible {
  readonly entry: BackendEntry;
  readonly probe: TimedProbe;
  /** Time the checks took (probe wait included), counted into the attempt's `ms`. */
  readonly checkMs: number;
}

/**
 * The checks before a load, cheapest first: format, task, then the probe (a backend that
 * cannot take the model is never probed). Returns the attempt that ends the step there, or
 * the probe to load with.
 */
export async function checkBackend(
  entry: BackendEntry,
  model: ModelDescriptor,
): Promise<{ attempt: Attempt } | { eligible: Eligible }> {
  const { backend } = entry;
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
  const probe = await entry.probe();
  if (!probe.available) {
    const reason = probe.reason ?? 'probe reported unavailable';
    return { attempt: { ...base, outcome: 'unavailable', reason, ms: since(start) } };
  }
  return { eligible: { entry, probe, checkMs: since(start) } };
}

/** The result of asking one eligible backend to load the model. */
export interface LoadTry {
  readonly attempt: Attempt;
  readonly loaded?: LoadedModel;
  readonly error?: unknown;
}

/**
 * Asks one eligible backend to load the model: `accepts()` then `load()`, both under the one
 * load time-out (a backend that hangs in either is passed over, its late model released).
 * Never rejects, except with the `InvalidOptionError` a backend throws for the caller's options.
 */
export async function loadOn(eligible: Eligible, request: ChainRequest): Promise<LoadTry> {
  const { backend } = eligible.entry;
  const { model } = request;
  const start = performance.now() - eligible.checkMs;
  const base = { backend: backend.id, deviceKind: backend.deviceKind };
  const controller = new AbortController();
  const context = {
    options: request.options,
    backendOptions: request.backendOptions[backend.id],
    probe: eligible.probe,
    signal: controller.signal,
  };
  let stage = 'accepts()';
  const work = async () => {
    const begun = performance.now();
    if (backend.accepts) {
      const verdict = await backend.accepts(model, context);
      if (!verdict.accepted) return { rejected: verdict.reason, loaded: undefined };
      // accepts() that blocked the loop past the bound: no load, the time is up.
      if (performance.now() - begun > request.loadTimeoutMs)
        throw new TimeoutError(`${backend.id} accepts()`, request.loadTimeoutMs);
    }
    stage = 'load()';
    // Core owns the model the user holds: the backend's session goes into its lifecycle here,
    // so a late load (time-out) is released through the lifecycle like any other.
    const loaded = openLifecycle(checkedSession(backend.id, await backend.load(model, context)), {
      name: model.name,
      backendId: backend.id,
      ...(backend.capabilities ? { capabilities: backend.capabilities } : {}),
    });
    return { rejected: undefined, loaded };
  };
  try {
    const result = await withTimeout(work, request.loadTimeoutMs, () => `${backend.id} ${stage}`, {
      controller,
      onLate: (late) => void late.loaded?.dispose().catch(() => {}),
    });
    const { loaded, rejected } = result;
    if (loaded === undefined)
      return { attempt: { ...base, outcome: 'rejected', reason: rejected, ms: since(start) } };
    return {
      attempt: { ...base, outcome: 'selected', reason: runsOn(loaded), ms: since(start) },
      loaded,
    };
  } catch (error) {
    if (InvalidOptionError.isInstance(error)) throw error;
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
 * What `load()` resolved, checked before core builds on it: a plugin that returns something
 * else fails its attempt with a message naming it, not a `TypeError` from deep in core.
 */
function checkedSession(backendId: string, loaded: LoadedSession): LoadedSession {
  const value = loaded as Partial<LoadedSession> | null;
  const session = value?.session as { release?: unknown } | undefined;
  if (
    typeof value !== 'object' ||
    value === null ||
    (value.task !== 'graph' && value.task !== 'text-generation') ||
    typeof session !== 'object' ||
    typeof session?.release !== 'function' ||
    typeof value.device?.name !== 'string'
  ) {
    throw new Error(
      `${backendId} load() resolved ${value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value} that is not a spec v2 loaded session ({ task, session, device })`,
    );
  }
  return loaded;
}

/** `runs on <device>[: <what the backend measured at load>]`. */
export function runsOn(loaded: LoadedModel): string {
  const note = loaded.task === 'graph' ? loaded.placementNote : undefined;
  return `runs on ${loaded.device.name}${note ? `: ${note}` : ''}`;
}

/**
 * The attempts of steps that end before any backend is asked: excluded, empty tier, missing,
 * or a plugin package that could not be imported.
 */
export function staticAttempt(step: Exclude<ChainStep, { type: 'backend' }>): Attempt {
  if (step.type === 'unloadable') {
    const { packageName, reason, code } = step.plugin;
    return {
      backend: packageName,
      deviceKind: null,
      outcome: 'unavailable',
      reason: `plugin package ${packageName} could not be loaded: ${reason}`,
      ms: 0,
      ...(code ? { code } : {}),
    };
  }
  if (step.type === 'excluded') {
    return {
      backend: step.entry.backend.id,
      deviceKind: step.entry.backend.deviceKind,
      outcome: 'excluded',
      reason: step.reason,
      ms: 0,
    };
  }
  if (step.type === 'empty-tier') {
    const kind = step.deviceKind;
    return {
      backend: null,
      deviceKind: kind,
      outcome: 'unavailable',
      reason: `no ${kind.toUpperCase()} backend is installed (add ${TIER_PACKAGES[kind]})`,
      ms: 0,
    };
  }
  return {
    backend: step.id,
    deviceKind: null,
    outcome: 'unavailable',
    reason: `the policy names backend "${step.id}", which is not installed`,
    ms: 0,
  };
}

/**
 * The error when nothing loaded. When every backend that was asked to load the model
 * (`accepts()`/`load()`) called it corrupt, the model is the problem, not the backends:
 * `MODEL_CORRUPT` (with the attempts) rather than a generic failure. Backends passed over
 * before that — another format or task, unavailable, excluded — never looked at the model,
 * so they do not count.
 */
export function chainError(
  model: ModelDescriptor,
  attempts: Attempt[],
  tries: readonly LoadTry[],
): Error {
  const corrupt = tries.map((t) => t.error).filter((e) => CorruptModelError.isInstance(e));
  if (tries.length > 0 && corrupt.length === tries.length) {
    const error = new CorruptModelError(
      model.name,
      [...new Set(corrupt.map((e) => e.reason))].join('; '),
    );
    error.attempts = attempts;
    return error;
  }
  return new AllBackendsFailedError(model.name, attempts);
}
