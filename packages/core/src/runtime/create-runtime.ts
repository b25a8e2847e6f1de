import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendEntry, TimedProbe } from '../chain/backend-entry.js';
import { type DryRunStep, dryRunChain } from '../chain/dry-run-chain.js';
import { type ChainRequest, runChain } from '../chain/fallback-chain.js';
import { defaultLoadTimeoutMs } from '../chain/load-timeout.js';
import {
  type MeasuredRequest,
  type MeasuredResult,
  runMeasuredChain,
} from '../chain/measured-chain.js';
import { byTierAndPriority, type ChainStep, planChain } from '../chain/plan-chain.js';
import { collectBackends } from '../discovery/collect-backends.js';
import { nearestPackageJson } from '../discovery/find-packages.js';
import { type PluginRules, pluginFilter } from '../discovery/plugin-filter.js';
import { InvalidOptionError, UnsupportedFormatError } from '../errors/errors.js';
import { inspectModel, type ModelInput } from '../format/inspect-model.js';
import { loadIsolated } from '../isolation/load-isolated.js';
import { detailsOf, type Placement, type SelectionReport } from '../placement/placement.js';
import { type Policy, type ResolvedPolicy, resolvePolicy } from '../policy/policy.js';
import { checkPolicyNames } from '../policy/policy-names.js';
import { probeBackend } from '../probing/probe-backend.js';
import { checkDimNames } from '../selection/trial-inputs.js';
import { VerdictCache } from '../selection/verdict-cache.js';
import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  checkBreakerOptions,
} from '../serving/circuit-breaker.js';
import { splitForWarmStart, warmInBackground } from '../serving/warm-start.js';
import {
  type Backend,
  type BackendPlugin,
  type CommonLoadOptions,
  type DeviceInfo,
  type DeviceKind,
  FORMAT_TASKS,
  type ModelDescriptor,
} from '../spec/backend.js';
import { since } from '../util/timeout.js';
import { checkBackendOptions } from './check-backend-options.js';
import { checkRuntimeOptions } from './check-runtime-options.js';
import { checkLoadOptions, type LoadOptions } from './load-options.js';
import {
  type PlacedGraphModel,
  type PlacedModel,
  type PlacedTextGenerator,
  placeModel,
  serverOf,
} from './placed-model.js';

export interface RuntimeOptions {
  /**
   * Backends or plugins to use directly, for bundlers and tests. When given, discovery is
   * off unless `discover: true`.
   */
  readonly backends?: readonly (Backend | BackendPlugin)[];
  /** Look for backend packages among the application's dependencies. Default: true unless `backends` is given. */
  readonly discover?: boolean;
  /**
   * Where the application lives: the nearest `package.json` above each is read. Default: the
   * current directory and the directory of the script Node was started with, so an app run
   * from elsewhere still finds its own backends.
   */
  readonly roots?: readonly string[];
  /** Allow- and deny-lists of backend package names (plus `NPU_FIRST_PLUGINS_ALLOW`/`_DENY`). */
  readonly plugins?: PluginRules;
  /** Bound on importing one plugin and creating its backends. Default 10 000 ms. */
  readonly pluginTimeoutMs?: number;
  /** Default policy for `load()`. `NPU_FIRST_POLICY` overrides it. */
  readonly policy?: Policy;
  /**
   * `eager` (default): probe every backend as the runtime is created, concurrently.
   * `lazy`: probe a backend only when first needed — by `backends()`, or when the chain
   * reaches it for a model it can take — so loading one model never waits on, or pays for,
   * engines that play no part in it.
   */
  readonly probe?: 'eager' | 'lazy';
  /** Bound on each backend's `probe()`. Default 10 000 ms. */
  readonly probeTimeoutMs?: number;
  /**
   * Bound on each backend's `accepts()` and `load()` of a model, together; a backend that
   * overruns it is passed over and the chain moves on. Default: 30 s plus 0.1 s a megabyte
   * of model (reading at a slow disk's 20 MB/s, and as long again for the engine's work):
   * 30 s for a small model, about 7 minutes for a 4 GB one (see docs/plugin-trust.md).
   */
  readonly loadTimeoutMs?: number;
  /** Environment to read `NPU_FIRST_POLICY` from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Move a model to the next backend of its chain when a run or generation fails on its
   * engine or device (docs/failover.md). Default true; a load's `failover` overrides it.
   */
  readonly failover?: boolean;
  /**
   * When a backend that keeps failing is skipped by later loads and failovers. Default
   * `{ failures: 3, windowMs: 60_000, cooldownMs: 30_000 }`; `false` never skips one.
   */
  readonly circuitBreaker?: CircuitBreakerOptions | false;
}

/** One backend as `runtime.backends()` reports it. */
export interface BackendReport {
  readonly id: string;
  readonly deviceKind: DeviceKind | null;
  readonly displayName: string;
  readonly source: 'explicit' | 'discovered';
  readonly package?: string;
  readonly available: boolean;
  readonly reason?: string;
  readonly devices: readonly DeviceInfo[];
  /** The engine and version that answered the probe, when the backend says. */
  readonly engine?: string;
  readonly probeMs: number;
}

/** A runtime: the backends found, their probe results, and the chain to load models. */
export interface Runtime {
  /** Every backend with its probe result, NPU first; broken plugins too, as unavailable. */
  backends(): Promise<BackendReport[]>;
  /**
   * Loads a model (a path, a `file:` URL, or the bytes in a `Uint8Array`) through the chain and returns it with its placement.
   * Pass `task` to get a typed result: `{ task: 'graph' }` for ONNX graphs,
   * `{ task: 'text-generation' }` for GGUF language models.
   */
  load(model: ModelInput, options: LoadOptions & { task: 'graph' }): Promise<PlacedGraphModel>;
  load(
    model: ModelInput,
    options: LoadOptions & { task: 'text-generation' },
  ): Promise<PlacedTextGenerator>;
  load(model: ModelInput, options?: LoadOptions): Promise<PlacedModel>;
  /**
   * A dry run of the chain for a model: what each step would decide, without loading the model
   * (format and task fit, probe, `accepts()`). Probes only backends that take its format.
   */
  dryRun(model: ModelInput, options?: { readonly policy?: Policy }): Promise<DryRun>;
  /** Time spent discovering packages and importing plugins, in ms. */
  readonly discoveryMs: number;
}

/** `runtime.dryRun()`: the model as read from its header, the policy, and every step. */
export interface DryRun {
  readonly model: ModelDescriptor;
  readonly policy: { readonly source: string; readonly text: string };
  readonly steps: readonly DryRunStep[];
}

const RUNTIME_KEYS = new Set([
  'plugins',
  'pluginTimeoutMs',
  'probe',
  'backends',
  'discover',
  'roots',
  'policy',
  'probeTimeoutMs',
  'loadTimeoutMs',
  'env',
  'failover',
  'circuitBreaker',
]);

/**
 * Creates a runtime: discovers backend packages (unless given backends explicitly), then
 * probes every backend concurrently, each under a time-out. Probing runs in the
 * background; `load()` and `backends()` wait only for the probes they need.
 */
export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new InvalidOptionError('options', 'expected an object of runtime options');
  for (const key of Object.keys(options)) {
    if (!RUNTIME_KEYS.has(key))
      throw new InvalidOptionError(
        key,
        `unknown runtime option (known: ${[...RUNTIME_KEYS].join(', ')})`,
      );
  }
  checkRuntimeOptions(options);
  if (options.failover !== undefined && typeof options.failover !== 'boolean')
    throw new InvalidOptionError(
      'failover',
      `expected true or false, got ${String(options.failover)}`,
    );
  if (options.circuitBreaker !== undefined) checkBreakerOptions(options.circuitBreaker);
  const breaker =
    options.circuitBreaker === false ? undefined : new CircuitBreaker(options.circuitBreaker);
  const env = options.env ?? process.env;
  const runtimePolicy = resolvePolicy(options.policy, env); // fail fast on a bad policy or NPU_FIRST_POLICY
  const probeTimeoutMs = options.probeTimeoutMs ?? 10_000;
  const eager = (options.probe ?? 'eager') === 'eager';
  const runtimeLoadTimeoutMs = options.loadTimeoutMs; // else scaled to each model's size
  const start = performance.now();

  const { collected, broken, unloadable } = await collectBackends({
    explicit: options.backends,
    discover: options.discover ?? options.backends === undefined,
    roots: options.roots ?? defaultRoots(),
    excluded: pluginFilter(options.plugins, env),
    pluginTimeoutMs: options.pluginTimeoutMs ?? 10_000,
  });
  const entries: BackendEntry[] = collected.map((c) => {
    let probed: Promise<TimedProbe> | undefined;
    const probe = () => {
      probed ??= probeBackend(c.backend, probeTimeoutMs);
      return probed;
    };
    if (eager) void probe();
    return { ...c, probe };
  });
  entries.sort(byTierAndPriority);
  const discoveryMs = since(start);
  const installed = entries.map((e) => e.backend.id);
  // Names are checked once the installed backends are known.
  const policyFor = (policy: Policy | undefined): ResolvedPolicy => {
    const resolved = resolvePolicy(policy, env);
    checkPolicyNames(resolved, installed);
    return resolved;
  };
  checkPolicyNames(runtimePolicy, installed);

  const load = async (model: ModelInput, loadOptions: LoadOptions = {}): Promise<PlacedModel> => {
    checkLoadOptions(loadOptions);
    if (loadOptions.isolate)
      return loadIsolated(model, loadOptions, {
        ...options,
        roots: options.roots ?? defaultRoots(),
      });
    const t0 = performance.now();
    const policy = policyFor(loadOptions.policy ?? options.policy);
    checkBackendOptions(
      (loadOptions.backendOptions ?? {}) as Readonly<
        Record<string, Readonly<Record<string, unknown>>>
      >,
      entries.map((e) => e.backend),
    );
    const descriptor = await inspectModel(model);
    const task = FORMAT_TASKS[descriptor.format];
    if (loadOptions.task !== undefined && loadOptions.task !== task) {
      throw new UnsupportedFormatError(
        descriptor.name,
        `a ${loadOptions.task} model was asked for, but this is ${descriptor.format === 'onnx' ? 'an ONNX graph' : 'a GGUF text-generation'} model`,
      );
    }
    const planned = planChain(entries, policy, unloadable);
    const request = {
      model: descriptor,
      steps: skipOpenCircuits(planned, breaker),
      options: commonOptions(loadOptions),
      // Checked by `checkLoadOptions` (objects) and `checkBackendOptions` (ids, keys, values).
      backendOptions: (loadOptions.backendOptions ?? {}) as ChainRequest['backendOptions'],
      loadTimeoutMs:
        loadOptions.loadTimeoutMs ??
        runtimeLoadTimeoutMs ??
        defaultLoadTimeoutMs(descriptor.sizeBytes),
    };
    const warm = loadOptions.warmStart ? splitForWarmStart(request) : undefined;
    const { loaded, entry, attempts, selection } = warm
      ? { ...(await runChain(warm.now)), selection: WARM_START }
      : policy.selection === 'first'
        ? { ...(await runChain(request)), selection: FIRST }
        : await runMeasured(
            {
              ...request,
              objective: policy.selection,
              tolerance: policy.tolerance,
              trial: loadOptions.trial ?? {},
            },
            env,
          );
    const placement: Placement = {
      backend: entry.backend.id,
      deviceKind: entry.backend.deviceKind,
      device: loaded.device.name,
      details: detailsOf(loaded),
      attempts,
      policy: { source: policy.source, text: policy.text },
      model: {
        name: descriptor.name,
        format: descriptor.format,
        sizeBytes: descriptor.sizeBytes,
      },
      selection,
      totalMs: since(t0),
    };
    const dims = loadOptions.trial?.dims;
    if (dims !== undefined && loaded.task === 'graph') {
      // Also when no trial ran (one candidate): a typo in a dimension name is still refused.
      try {
        checkDimNames(loaded.inputs, Object.keys(dims), 'trial.dims');
      } catch (error) {
        await loaded.dispose();
        throw error;
      }
    }
    const placed = placeModel(loaded, placement, {
      // Failover walks the planned order, the breaker checked at the time of the move.
      request: { ...request, steps: planned },
      entry,
      breaker,
      failover: loadOptions.failover ?? options.failover ?? true,
      runTimeoutMs: loadOptions.runTimeoutMs,
    });
    if (warm) warmInBackground(serverOf(placed), warm.later, entry.backend.id);
    return placed;
  };

  return {
    discoveryMs,
    async backends() {
      const reports = await Promise.all(entries.map(async (e) => report(e, await e.probe())));
      return [...reports, ...broken];
    },
    // The overloads narrow the result by `task`, which `load` has checked against the model.
    load: load as Runtime['load'],
    async dryRun(model, dryRunOptions = {}) {
      const policy = policyFor(dryRunOptions.policy ?? options.policy);
      const descriptor = await inspectModel(model);
      const steps = await dryRunChain(
        planChain(entries, policy, unloadable),
        descriptor,
        runtimeLoadTimeoutMs ?? defaultLoadTimeoutMs(descriptor.sizeBytes),
      );
      return { model: descriptor, policy: { source: policy.source, text: policy.text }, steps };
    },
  };
}

const FIRST: SelectionReport = { objective: 'first', method: 'first' };
const WARM_START: SelectionReport = {
  objective: 'first',
  method: 'first',
  notes: ['warm start: placed on the CPU tier; the accelerators load in the background'],
};

/** Backends whose circuit is open are left out of a load, with the breaker's reason. */
function skipOpenCircuits(
  steps: readonly ChainStep[],
  breaker: CircuitBreaker | undefined,
): readonly ChainStep[] {
  if (!breaker) return steps;
  return steps.map((step) => {
    if (step.type !== 'backend') return step;
    const reason = breaker.skipReason(step.entry.backend.id);
    return reason ? { type: 'excluded', entry: step.entry, reason } : step;
  });
}

/** Measured selection, with the placement cache the environment names. */
function runMeasured(
  request: Omit<MeasuredRequest, 'cache'>,
  env: Readonly<Record<string, string | undefined>>,
): Promise<MeasuredResult> {
  return runMeasuredChain({ ...request, cache: new VerdictCache(env) });
}

/** The options every backend sees, without the runtime's own. */
function commonOptions({
  threads,
  graphOptimizationLevel,
  contextSize,
}: LoadOptions): CommonLoadOptions {
  return {
    ...(threads !== undefined ? { threads } : {}),
    ...(graphOptimizationLevel ? { graphOptimizationLevel } : {}),
    ...(contextSize !== undefined ? { contextSize } : {}),
  };
}

/** The current directory and the main script's directory (when Node was given one). */
function defaultRoots(): string[] {
  const main = process.argv[1];
  return main ? [process.cwd(), dirname(main)] : [process.cwd()];
}

function report(entry: BackendEntry, probe: TimedProbe): BackendReport {
  const { backend } = entry;
  return {
    id: backend.id,
    deviceKind: backend.deviceKind,
    displayName: backend.displayName ?? backend.id,
    source: entry.source,
    ...(entry.packageName ? { package: entry.packageName } : {}),
    available: probe.available,
    ...(probe.reason ? { reason: probe.reason } : {}),
    devices: probe.devices,
    ...(probe.engine ? { engine: probe.engine } : {}),
    probeMs: probe.ms,
  };
}

/** The directory of a module URL, for `roots: [dirOf(import.meta.url)]`. */
export function dirOf(moduleUrl: string): string {
  return dirname(fileURLToPath(moduleUrl));
}

/**
 * The root folder of the package a module belongs to: the nearest folder at or above it with a
 * `package.json`. Unlike `../..` counted from the module, it stays right when a build moves
 * code between files (bundles, shared chunks). Throws when there is none.
 */
export function packageRootOf(moduleUrl: string): string {
  const json = nearestPackageJson(dirOf(moduleUrl));
  if (!json) throw new Error(`no package.json at or above ${fileURLToPath(moduleUrl)}`);
  return dirname(json);
}
