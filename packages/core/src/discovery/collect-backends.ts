import type { UnloadablePlugin } from '../chain/plan-chain.js';
import { NpuFirstError } from '../errors/base.js';
import { PluginError } from '../errors/errors.js';
import type { BackendReport } from '../runtime/create-runtime.js';
import type { Backend, BackendPlugin } from '../spec/backend.js';
import type { BackendV2 } from '../spec/backend-v2.js';
import { messageOf, withTimeout } from '../util/timeout.js';
import { findBackendPackages } from './find-packages.js';
import { loadPlugin, validateBackend } from './load-plugin.js';

/** A backend the runtime will use, and where it came from. */
export interface CollectedBackend {
  /** Validated, and as spec v2 (a v1 backend through `adaptV1`). */
  readonly backend: BackendV2;
  readonly source: 'explicit' | 'discovered';
  readonly packageName?: string;
}

export interface CollectRequest {
  readonly explicit: readonly (Backend | BackendPlugin)[] | undefined;
  readonly discover: boolean;
  readonly roots: readonly string[];
  /** Why a discovered package must not be imported (allow/deny lists), or undefined. */
  readonly excluded: (packageName: string) => string | undefined;
  readonly pluginTimeoutMs: number;
}

/**
 * Gathers the backends passed explicitly and those of the discovered packages (imported
 * concurrently, each bounded in time: import and `createBackends()` together). What cannot be
 * used — a package that fails to import or is left out by the lists, a backend whose id is
 * taken — becomes a report, never an error; packages whose import failed or timed out are also
 * listed in `unloadable`, for the chain's trace.
 */
export async function collectBackends(request: CollectRequest): Promise<{
  collected: CollectedBackend[];
  broken: BackendReport[];
  unloadable: UnloadablePlugin[];
}> {
  const found: CollectedBackend[] = [];
  const broken: BackendReport[] = [];
  const unloadable: UnloadablePlugin[] = [];
  for (const item of request.explicit ?? []) {
    // The application's own plugins: their errors reach the caller, but a hang is bounded.
    const backends = isPlugin(item)
      ? await withTimeout(
          () => item.createBackends(),
          request.pluginTimeoutMs,
          'createBackends() of an explicit plugin',
        )
      : [item];
    for (const backend of backends) {
      found.push({
        backend: validateBackend(backend, isPlugin(item) ? 'explicit plugin' : 'explicit backend'),
        source: 'explicit',
      });
    }
  }
  if (request.discover) {
    const packages = findBackendPackages(request.roots);
    // One at a time (entry modules are small; engines load later): each import gets its own
    // clock, so a plugin that blocks the event loop times out alone, not the plugins beside it.
    const loaded: (
      | { pkg: (typeof packages)[number]; backends: BackendV2[] }
      | { pkg: (typeof packages)[number]; error: string; code?: string }
    )[] = [];
    for (const pkg of packages) {
      const left = request.excluded(pkg.name);
      if (left) {
        loaded.push({ pkg, error: left });
        continue;
      }
      try {
        const backends = await withTimeout(
          () => loadPlugin(pkg),
          request.pluginTimeoutMs,
          `importing ${pkg.name} and creating its backends`,
        );
        loaded.push({ pkg, backends });
      } catch (error) {
        const reason = PluginError.isInstance(error) ? error.reason : messageOf(error);
        const code = NpuFirstError.isInstance(error) ? error.code : 'PLUGIN_INVALID';
        loaded.push({ pkg, error: reason, code });
      }
    }
    for (const item of loaded) {
      if ('error' in item) {
        if (item.code)
          unloadable.push({ packageName: item.pkg.name, reason: item.error, code: item.code });
        broken.push(unusable(item.pkg.name, null, 'discovered', item.pkg.name, item.error));
      } else {
        for (const backend of item.backends)
          found.push({ backend, source: 'discovered', packageName: item.pkg.name });
      }
    }
  }
  const collected: CollectedBackend[] = [];
  const seen = new Set<string>();
  for (const c of found) {
    if (seen.has(c.backend.id)) {
      const reason = 'another backend already uses this id; this one is ignored';
      broken.push(
        unusable(
          c.backend.id,
          c.backend.deviceKind,
          c.source,
          c.packageName,
          reason,
          c.backend.displayName,
        ),
      );
      continue;
    }
    seen.add(c.backend.id);
    collected.push(c);
  }
  return { collected, broken, unloadable };
}

function unusable(
  id: string,
  deviceKind: BackendReport['deviceKind'],
  source: BackendReport['source'],
  packageName: string | undefined,
  reason: string,
  displayName = id,
): BackendReport {
  return {
    id,
    deviceKind,
    displayName,
    source,
    ...(packageName ? { package: packageName } : {}),
    available: false,
    reason,
    devices: [],
    probeMs: 0,
  };
}

function isPlugin(item: Backend | BackendPlugin): item is BackendPlugin {
  return typeof (item as BackendPlugin).createBackends === 'function';
}
