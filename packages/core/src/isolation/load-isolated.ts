import { fileURLToPath } from 'node:url';
import {
  AllBackendsFailedError,
  EngineCrashedError,
  InvalidOptionError,
} from '../errors/errors.js';
import type { ModelInput } from '../format/inspect-model.js';
import type { Attempt } from '../placement/placement.js';
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
  const t0 = performance.now();
  // A URL object cannot cross the IPC channel; its path (or text) can.
  const model =
    input instanceof URL ? (input.protocol === 'file:' ? fileURLToPath(input) : input.href) : input;
  const { isolate: _, ...options } = loadOptions;
  const wire = crossable(runtime);
  const crashed: CrashedBackend[] = [];
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
      return placeModel(remote, placement);
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
      const said = error.lastOutput ? `; its last output: ${error.lastOutput}` : '';
      crashed.push({ backend: error.backend, reason: `${error.exit}${said}` });
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

function allCrashed(attempts: readonly Attempt[]): boolean {
  const tried = attempts.filter((a) => a.outcome === 'failed' || a.outcome === 'rejected');
  return tried.length > 0 && tried.every((a) => a.code === 'ENGINE_CRASHED');
}
