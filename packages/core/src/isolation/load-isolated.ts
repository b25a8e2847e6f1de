import { fileURLToPath } from 'node:url';
import {
  AllBackendsFailedError,
  EngineCrashedError,
  InvalidOptionError,
} from '../errors/errors.js';
import type { ModelInput } from '../format/inspect-model.js';
import type { Attempt, Placement } from '../placement/placement.js';
import type { RuntimeOptions } from '../runtime/create-runtime.js';
import type { LoadOptions } from '../runtime/load-options.js';
import { type PlacedModel, placeModel } from '../runtime/placed-model.js';
import { since } from '../util/timeout.js';
import type { CrashedBackend, IsolatedRuntimeOptions } from './messages.js';
import { ModelProcess } from './model-process.js';
import { RemoteGraphModel, RemoteTextGenerator } from './remote-models.js';

/**
 * `load(model, { isolate: true })`: the whole load — discovery, chain, engine — happens in a
 * forked process, and the model stays there. A backend whose engine kills that process is
 * recorded as a `failed` attempt (`ENGINE_CRASHED`) and the chain goes on in a fresh process
 * without it, so a native abort costs one backend, never the application.
 */
export async function loadIsolated(
  input: ModelInput,
  loadOptions: LoadOptions,
  runtime: RuntimeOptions & { readonly roots: readonly string[] },
): Promise<PlacedModel> {
  // A URL object cannot cross the IPC channel; its path (or text) can.
  const model =
    input instanceof URL ? (input.protocol === 'file:' ? fileURLToPath(input) : input.href) : input;
  const { isolate: _, ...options } = loadOptions;
  const wire = crossable(runtime);
  const crashed: CrashedBackend[] = [];
  const first = await placeIsolated(model, options, wire, crashed);
  // The child's own runtime fails over engine errors in its process; a crash of the process
  // itself is the host's to handle: the model is placed again in a fresh process, without the
  // backend that crashed, and the call is made again there.
  const relocate = async (_from: string, error: unknown) => {
    if (!EngineCrashedError.isInstance(error) || !error.backend) return undefined;
    crashed.push({ backend: error.backend, reason: `crashed while serving: ${crashOf(error)}` });
    return placeIsolated(model, options, wire, crashed);
  };
  return placeModel(first.model, first.placement, {
    relocate,
    movesOn: (error) => EngineCrashedError.isInstance(error) && error.during !== 'load',
    breaker: undefined,
    failover: loadOptions.failover ?? runtime.failover ?? true,
    runTimeoutMs: undefined,
  });
}

/** One placement in a child process; a backend that crashes the load is left out and the chain goes on. */
async function placeIsolated(
  model: string | Uint8Array,
  options: Omit<LoadOptions, 'isolate'>,
  wire: IsolatedRuntimeOptions,
  crashed: CrashedBackend[],
): Promise<{ model: RemoteGraphModel | RemoteTextGenerator; placement: Placement }> {
  const t0 = performance.now();
  let firstCrash: EngineCrashedError | undefined;
  for (;;) {
    const child = await ModelProcess.start();
    try {
      const info = await child.load({
        type: 'load',
        runtime: wire,
        model,
        options,
        crashed,
      });
      // The placement's time includes starting the process.
      const placement = { ...info.placement, totalMs: since(t0) };
      const remote =
        info.task === 'graph'
          ? new RemoteGraphModel(child, info)
          : new RemoteTextGenerator(child, info);
      return { model: remote, placement };
    } catch (error) {
      if (!(EngineCrashedError.isInstance(error) && error.during === 'load')) {
        child.kill();
        // Every backend that tried crashed: the crash is the answer, with the whole trace.
        if (firstCrash && AllBackendsFailedError.isInstance(error) && allCrashed(error.attempts)) {
          firstCrash.attempts = error.attempts;
          throw firstCrash;
        }
        throw error;
      }
      firstCrash ??= error;
      // Retry without the backend at fault, once per backend; a crash nobody can be blamed
      // for (discovery, a plugin's import) would only repeat.
      if (!error.backend || crashed.some((c) => c.backend === error.backend)) throw error;
      crashed.push({ backend: error.backend, reason: crashOf(error) });
    }
  }
}

/**
 * The runtime options the model's process recreates the runtime from. Backend objects
 * cannot cross a process boundary: such a runtime cannot isolate.
 */
function crossable(options: RuntimeOptions & { roots: readonly string[] }): IsolatedRuntimeOptions {
  if (options.backends !== undefined)
    throw new InvalidOptionError(
      'isolate',
      'this runtime was given `backends` objects, which cannot be sent to another process; create it with discovery (`roots` naming a package that depends on the backend packages) to load isolated',
    );
  const { roots, plugins, pluginTimeoutMs, policy, probeTimeoutMs, loadTimeoutMs, env } = options;
  return {
    roots,
    ...(plugins !== undefined ? { plugins } : {}),
    ...(pluginTimeoutMs !== undefined ? { pluginTimeoutMs } : {}),
    ...(policy !== undefined ? { policy } : {}),
    ...(probeTimeoutMs !== undefined ? { probeTimeoutMs } : {}),
    ...(loadTimeoutMs !== undefined ? { loadTimeoutMs } : {}),
    ...(env !== undefined ? { env: { ...env } } : {}),
  };
}

/** How the process ended, with the engine's last line when it said one. */
function crashOf(error: EngineCrashedError): string {
  return `${error.exit}${error.lastOutput ? `; its last output: ${error.lastOutput}` : ''}`;
}

function allCrashed(attempts: readonly Attempt[]): boolean {
  const tried = attempts.filter((a) => a.outcome === 'failed' || a.outcome === 'rejected');
  return tried.length > 0 && tried.every((a) => a.code === 'ENGINE_CRASHED');
}
