import { freemem } from 'node:os';
import type { Attempt, Measurement, SelectionReport } from '../placement/placement.js';
import { DEFAULT_TOLERANCE } from '../policy/policy.js';
import { decide, explainDecision, formatMs, type Timed } from '../selection/decide.js';
import { modelFingerprint } from '../selection/model-fingerprint.js';
import { REFERENCE_REQUEST } from '../selection/reference-request.js';
import { timeGeneratorContenders } from '../selection/time-generator.js';
import {
  DEFAULT_TRIAL_LIMITS,
  type TrialFigures,
  type TrialLimits,
  timeGraphContenders,
} from '../selection/time-graph.js';
import { describeFeeds, type TrialOptions, trialFeeds } from '../selection/trial-inputs.js';
import type { StoredVerdict, VerdictCache, VerdictSubject } from '../selection/verdict-cache.js';
import type { GraphModel, LoadedModel } from '../spec/backend.js';
import type { TextGenerator } from '../spec/text-generation.js';
import { since } from '../util/timeout.js';
import { validateFeeds } from '../validation/validate-feeds.js';
import {
  type ChainRequest,
  type ChainResult,
  chainError,
  checkBackend,
  type Eligible,
  type LoadTry,
  loadOn,
  runsOn,
  staticAttempt,
} from './fallback-chain.js';

export interface MeasuredRequest extends ChainRequest {
  readonly objective: 'preferred' | 'latency';
  readonly tolerance: number | undefined;
  readonly trial: TrialOptions;
  readonly cache: VerdictCache;
  readonly limits?: TrialLimits;
}

export interface MeasuredResult extends ChainResult {
  readonly selection: SelectionReport;
}

/**
 * Language models larger than this are not loaded a second time to be timed: a trial would
 * take seconds a round on the CPU and hold two copies in memory. The policy's preferred
 * backend serves them (a GPU build that offloads every layer; see docs/measured-selection.md).
 */
export const LLM_TRIAL_MAX_BYTES = 1024 ** 3;

/** A backend that loaded the model and takes part in the decision. */
interface Contender {
  readonly index: number;
  readonly eligible: Eligible;
  readonly loaded: LoadedModel;
  readonly attempt: Attempt;
}

/**
 * Measured selection: the chain's order is the preference, and before it commits the runtime
 * times the candidates that matter on the model's inputs. The candidates are the first backend
 * that loads (the policy's preferred) and, after it, the first backend of each device kind
 * that loads — scanning stops at the first CPU one, the floor every machine has. Verdicts are
 * kept on disk, so the next load of the same model goes straight to the winner.
 */
export async function runMeasuredChain(request: MeasuredRequest): Promise<MeasuredResult> {
  const attempts = new Map<number, Attempt>();
  const checks = new Map<number, Promise<Eligible | undefined>>();
  const check = (index: number): Promise<Eligible | undefined> => {
    let pending = checks.get(index);
    if (pending === undefined) {
      const step = request.steps[index];
      pending =
        step?.type === 'backend'
          ? checkBackend(step.entry, request.model).then((r) => {
              if ('eligible' in r) return r.eligible;
              attempts.set(index, r.attempt);
              return undefined;
            })
          : Promise.resolve(undefined);
      checks.set(index, pending);
    }
    return pending;
  };
  request.steps.forEach((step, index) => {
    if (step.type === 'excluded') attempts.set(index, staticAttempt(step));
  });
  const staticUpTo = (last: number) => {
    for (let i = 0; i <= last; i++) {
      const step = request.steps[i];
      if (step && step.type !== 'backend' && step.type !== 'excluded')
        attempts.set(i, staticAttempt(step));
    }
  };
  const ordered = () => [...attempts.entries()].sort((a, b) => a[0] - b[0]).map(([, a]) => a);
  const keys = subjects(request);

  if (!request.trial.refresh) {
    const cached = await fromCache(request, check, keys);
    if (cached) {
      for (const [i, a] of cached.attempts) attempts.set(i, a);
      staticUpTo(cached.last);
      return {
        ...cached.result,
        attempts: ordered(),
        selection: { ...cached.selection, ...notes(request) },
      };
    }
  }

  // The preferred backend: the first that loads, exactly as the plain chain finds it.
  const tries: LoadTry[] = [];
  const toStore = new Map<VerdictSubject, StoredVerdict>();
  const loadAt = async (index: number): Promise<Contender | undefined> => {
    const eligible = await check(index);
    if (eligible === undefined) return undefined;
    const tried = await loadOn(eligible, request);
    attempts.set(index, tried.attempt);
    tries.push(tried);
    if (tried.attempt.outcome === 'rejected') {
      const { reason, code } = tried.attempt;
      toStore.set(keys.subject(await keys.fingerprint(), eligible), {
        rejected: { reason, ...(code ? { code } : {}) },
        runs: 0,
        outputs: 'unchecked',
        at: new Date().toISOString(),
      });
    }
    return tried.loaded
      ? { index, eligible, loaded: tried.loaded, attempt: tried.attempt }
      : undefined;
  };
  let preferred: Contender | undefined;
  let index = 0;
  for (; index < request.steps.length && preferred === undefined; index++)
    preferred = await loadAt(index);
  if (preferred === undefined) {
    staticUpTo(request.steps.length - 1);
    throw chainError(request.model, ordered(), tries);
  }
  const trialStart = performance.now();
  const contenders: Contender[] = [preferred];
  const notesOut: string[] = [];
  const tooBig = tooCostly(request, preferred.loaded);
  if (tooBig) notesOut.push(tooBig);
  else {
    // One alternative per device kind, in the chain's order, until the CPU tier has one.
    const kinds = new Set<string>();
    try {
      for (; index < request.steps.length; index++) {
        const step = request.steps[index];
        if (step?.type !== 'backend' || kinds.has(step.entry.backend.deviceKind)) continue;
        const alternative = await loadAt(index);
        if (alternative === undefined) continue;
        contenders.push(alternative);
        kinds.add(step.entry.backend.deviceKind);
        if (step.entry.backend.deviceKind === 'cpu') break;
      }
    } catch (error) {
      // An `InvalidOptionError` from an alternative: the load fails, nothing stays loaded.
      await release(contenders.map((c) => c.loaded));
      throw error;
    }
  }
  staticUpTo(Math.min(index, request.steps.length - 1));
  const base = { objective: request.objective, ...tolerance(request, preferred) };
  if (contenders.length === 1) {
    const method = tooBig ? 'kept' : 'single';
    return {
      loaded: preferred.loaded,
      entry: preferred.eligible.entry,
      attempts: ordered(),
      selection: { ...base, method, ...notes(request, notesOut) },
    };
  }

  let trial: { figures: TrialFigures[]; inputs: string; guessed: Record<string, number> };
  try {
    trial = await runTrial(request, contenders);
  } catch (error) {
    await release(contenders.slice(1).map((c) => c.loaded));
    throw error;
  }
  const timed: Timed[] = contenders.map((c, i) => ({
    id: c.eligible.entry.backend.id,
    deviceKind: c.eligible.entry.backend.deviceKind,
    msPerRun: trial.figures[i]?.msPerRun,
  }));
  const decision = decide(timed, request.objective, request.tolerance);
  const at = new Date().toISOString();
  const fingerprint = await keys.fingerprint();
  let winner = preferred;
  contenders.forEach((c, i) => {
    const figures = trial.figures[i] as TrialFigures;
    const measurement = measurementOf(figures, 'trial', at);
    toStore.set(keys.subject(fingerprint, c.eligible), storedOf(figures, at));
    const chosen = timed[i]?.id === decision.winner;
    if (chosen) winner = c;
    attempts.set(c.index, {
      ...c.attempt,
      outcome: chosen ? 'selected' : 'passed-over',
      reason: describe(runsOn(c.loaded), figures, timed[i] as Timed, decision, request.objective),
      measurement,
    });
  });
  await release(contenders.filter((c) => c !== winner).map((c) => c.loaded));
  await request.cache.put(toStore);
  const allFailed = trial.figures.every((f) => f.msPerRun === undefined);
  return {
    loaded: winner.loaded,
    entry: winner.eligible.entry,
    attempts: ordered(),
    selection: {
      ...base,
      method: allFailed ? 'kept' : 'trial',
      inputs: trial.inputs,
      ...(Object.keys(trial.guessed).length > 0 ? { guessed: trial.guessed } : {}),
      ms: since(trialStart),
      ...notes(
        request,
        allFailed ? ['no candidate could be timed: the preferred backend serves'] : [],
      ),
    },
  };
}

/** Times the contenders: graph models on the trial feeds, language models on generations. */
async function runTrial(
  request: MeasuredRequest,
  contenders: readonly Contender[],
): Promise<{ figures: TrialFigures[]; inputs: string; guessed: Record<string, number> }> {
  const limits = {
    ...(request.limits ?? DEFAULT_TRIAL_LIMITS),
    ...(request.trial.runTimeoutMs !== undefined
      ? { runTimeoutMs: request.trial.runTimeoutMs }
      : {}),
  };
  const first = contenders[0] as Contender;
  if (first.loaded.task === 'text-generation') {
    const figures = await timeGeneratorContenders(
      contenders.map((c) => ({
        id: c.eligible.entry.backend.id,
        model: c.loaded as TextGenerator,
      })),
      { ...limits, budgetMs: limits.budgetMs * 5, minRounds: 2 },
    );
    return { figures, inputs: referenceRequestText(), guessed: {} };
  }
  const model = first.loaded as GraphModel;
  const { feeds, guessed } = trialFeeds(model.inputs, request.trial);
  if (request.trial.feeds !== undefined) validateFeeds(model.inputs, feeds);
  // The CPU tier is the reference every other candidate's outputs are checked against: the
  // policy's first CPU backend among the candidates.
  const reference = contenders.find((c) => c.eligible.entry.backend.deviceKind === 'cpu');
  const figures = await timeGraphContenders(
    contenders.map((c) => ({
      id: c.eligible.entry.backend.id,
      model: c.loaded as GraphModel,
    })),
    feeds,
    reference?.eligible.entry.backend.id,
    limits,
  );
  return { figures, inputs: describeFeeds(feeds), guessed };
}

/**
 * The cached path: when every candidate the chain would time (judged by probes alone) has a
 * verdict for this model, inputs, device and engine, only the winner is loaded.
 */
async function fromCache(
  request: MeasuredRequest,
  check: (index: number) => Promise<Eligible | undefined>,
  keys: Subjects,
): Promise<
  | {
      result: ChainResult;
      attempts: Map<number, Attempt>;
      last: number;
      selection: SelectionReport;
    }
  | undefined
> {
  if (request.cache.path === undefined) return undefined;
  const fingerprint = await keys.fingerprint();
  const attempts = new Map<number, Attempt>();
  // The same candidates as a trial would time, judged by probes and cached verdicts alone.
  const planned: { index: number; eligible: Eligible }[] = [];
  const stored: StoredVerdict[] = [];
  const kinds = new Set<string>();
  for (let i = 0; i < request.steps.length; i++) {
    const eligible = await check(i);
    if (eligible === undefined) continue;
    const kind = eligible.entry.backend.deviceKind;
    if (planned.length > 0 && kinds.has(kind)) continue;
    const verdict = await request.cache.get(keys.subject(fingerprint, eligible));
    if (verdict === undefined) return undefined;
    if (verdict.rejected) {
      attempts.set(i, {
        backend: eligible.entry.backend.id,
        deviceKind: kind,
        outcome: 'rejected',
        reason: `${verdict.rejected.reason} (cached ${verdict.at.slice(0, 10)})`,
        ms: eligible.checkMs,
        ...(verdict.rejected.code ? { code: verdict.rejected.code } : {}),
      });
      continue;
    }
    if (planned.length > 0) kinds.add(kind);
    planned.push({ index: i, eligible });
    stored.push(verdict);
    if (planned.length > 1 && kind === 'cpu') break;
  }
  if (planned.length < 2) return undefined;
  const timed: Timed[] = planned.map((p, i) => ({
    id: p.eligible.entry.backend.id,
    deviceKind: p.eligible.entry.backend.deviceKind,
    msPerRun: stored[i]?.msPerRun,
  }));
  const decision = decide(timed, request.objective, request.tolerance);
  const w = planned.findIndex((p) => p.eligible.entry.backend.id === decision.winner);
  const winner = planned[w] as (typeof planned)[number];
  const tried = await loadOn(winner.eligible, request);
  if (!tried.loaded) return undefined; // the verdict is stale: measure again
  planned.forEach((p, i) => {
    const verdict = stored[i] as StoredVerdict;
    const figures: TrialFigures = { id: p.eligible.entry.backend.id, ...verdict };
    const base =
      i === w
        ? tried.attempt
        : {
            backend: p.eligible.entry.backend.id,
            deviceKind: p.eligible.entry.backend.deviceKind,
            ms: p.eligible.checkMs,
          };
    const device =
      i === w
        ? runsOn(tried.loaded as LoadedModel)
        : `runs on ${p.eligible.probe.devices[0]?.name ?? p.eligible.entry.backend.id}`;
    attempts.set(p.index, {
      ...base,
      outcome: i === w ? 'selected' : 'passed-over',
      reason: `${describe(device, figures, timed[i] as Timed, decision, request.objective)} (measured ${verdict.at.slice(0, 10)})`,
      measurement: measurementOf(figures, 'cache', verdict.at),
    });
  });
  const preferred = planned[0] as (typeof planned)[number];
  return {
    result: { loaded: tried.loaded, entry: winner.eligible.entry, attempts: [] },
    attempts,
    last: (planned[planned.length - 1] as (typeof planned)[number]).index,
    selection: {
      objective: request.objective,
      method: 'cache',
      ...tolerance(request, { eligible: preferred.eligible }),
      inputs: keys.inputs,
    },
  };
}

/** How verdicts of this load are keyed: model content, inputs, options, backend, device, engine. */
interface Subjects {
  readonly inputs: string;
  fingerprint(): Promise<string>;
  subject(fingerprint: string, eligible: Eligible): VerdictSubject;
}

function subjects(request: MeasuredRequest): Subjects {
  let fingerprint: Promise<string> | undefined;
  const { trial } = request;
  const dims = trial.dims ? ` dims ${JSON.stringify(Object.entries(trial.dims).sort())}` : '';
  const inputs =
    request.model.format === 'gguf'
      ? referenceRequestText()
      : `${trial.feeds !== undefined ? describeFeeds(trial.feeds) : 'generated inputs'}${dims}`;
  return {
    inputs,
    fingerprint: () => {
      fingerprint ??= modelFingerprint(request.model);
      return fingerprint;
    },
    subject: (model, eligible) => {
      const id = eligible.entry.backend.id;
      const options = JSON.stringify([request.options, request.backendOptions[id] ?? {}]);
      return {
        model,
        inputs: `${inputs} ${options}`,
        backend: id,
        device: eligible.probe.devices[0]?.name ?? '',
        engine: eligible.probe.engine ?? '',
      };
    },
  };
}

function referenceRequestText(): string {
  return `a ${REFERENCE_REQUEST.promptTokens}-token prompt and ${REFERENCE_REQUEST.generatedTokens} generated tokens (greedy)`;
}

/** Why a language model is not timed on a second backend, or undefined when it may be. */
function tooCostly(request: MeasuredRequest, loaded: LoadedModel): string | undefined {
  if (loaded.task !== 'text-generation') return undefined;
  const size = request.model.sizeBytes;
  const gib = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (size > LLM_TRIAL_MAX_BYTES)
    return `not timed against other backends: a ${gib(size)} language model is over the ${gib(LLM_TRIAL_MAX_BYTES)} trial limit (a second copy and seconds a round on the CPU); the policy's preferred backend serves`;
  if (size > freemem() / 2)
    return `not timed against other backends: a second copy of this ${gib(size)} model would not fit in free memory (${gib(freemem())}); the policy's preferred backend serves`;
  return undefined;
}

function tolerance(
  request: MeasuredRequest,
  preferred: { eligible: Eligible },
): { tolerance?: number } {
  if (request.objective !== 'preferred') return {};
  return {
    tolerance: request.tolerance ?? DEFAULT_TOLERANCE[preferred.eligible.entry.backend.deviceKind],
  };
}

function notes(request: MeasuredRequest, more: readonly string[] = []): { notes?: string[] } {
  const all = [...request.cache.problems, ...more];
  return all.length > 0 ? { notes: all } : {};
}

/** `runs on NVIDIA H200: 5.2 ms a run against 0.19 ms on cpu-onnxruntime (27× slower; …)`. */
function describe(
  runs: string,
  figures: TrialFigures,
  timed: Timed,
  decision: ReturnType<typeof decide>,
  objective: 'preferred' | 'latency',
): string {
  if (figures.failure !== undefined) return `${runs}, but ${figures.failure}`;
  const { promptTokensPerSecond: pps, tokensPerSecond: tps } = figures;
  const speeds =
    pps !== undefined && tps !== undefined
      ? ` (${Math.round(pps)} prompt tokens/s, ${Math.round(tps)} tokens/s)`
      : '';
  const explained = explainDecision(timed, decision, objective);
  return `${runs}: ${explained || `${formatMs(figures.msPerRun as number)} a run`}${speeds}`;
}

function measurementOf(figures: TrialFigures, source: 'trial' | 'cache', at: string): Measurement {
  const f = figures;
  return {
    ...(f.msPerRun !== undefined ? { msPerRun: round(f.msPerRun) } : {}),
    runs: f.runs,
    ...(f.promptTokensPerSecond !== undefined
      ? { promptTokensPerSecond: round(f.promptTokensPerSecond) }
      : {}),
    ...(f.tokensPerSecond !== undefined ? { tokensPerSecond: round(f.tokensPerSecond) } : {}),
    outputs: f.outputs,
    ...(f.outputError !== undefined && Number.isFinite(f.outputError)
      ? { outputError: Number(f.outputError.toPrecision(2)) }
      : {}),
    ...(f.failure !== undefined ? { failure: f.failure } : {}),
    source,
    at,
  };
}

function storedOf(figures: TrialFigures, at: string): StoredVerdict {
  const { id: _id, ...rest } = figures;
  return { ...rest, at };
}

function round(n: number): number {
  return Number(n.toPrecision(4));
}

/** Releases models that lost; one whose trial run hangs is not waited for. */
async function release(models: readonly LoadedModel[]): Promise<void> {
  await Promise.all(
    models.map((m) =>
      Promise.race([m.dispose().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]),
    ),
  );
}
