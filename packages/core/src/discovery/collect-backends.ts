import { PluginError } from '../errors/errors.js';
import type { BackendReport } from '../runtime/create-runtime.js';
import type { Backend, BackendPlugin } from '../spec/backend.js';
import { messageOf, withTimeout } from '../util/timeout.js';
import { findBackendPackages } from './find-packages.js';
import { loadPlugin, validateBackend } from './load-plugin.js';

/** A backend the runtime will use, and where it came from. */
export interface CollectedBackend {
  readonly backend: Backend;
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
 * concurrently, each bounded in time). What cannot be used — a package that fails to import
 * or is left out by the lists, a backend whose id is taken — becomes a report, never an error.
 */
export async function collectBackends(
  request: CollectRequest,
): Promise<{ collected: CollectedBackend[]; broken: BackendReport[] }> {
  const found: CollectedBackend[] = [];
  const broken: BackendReport[] = [];
  for (const item of request.explicit ?? []) {
    const backends = isPlugin(item) ? await item.createBackends() : [item];
    for (const backend of backends) {
      found.push({
        backend: validateBackend(backend, isPlugin(item) ? 'explicit plugin' : 'explicit backend'),
        source: 'explicit',
      });
    }
  }
  if (request.discover) {
    const packages = findBackendPackages(request.roots);
    const loaded = await Promise.all(
      packages.map(async (pkg) => {
        const left = request.excluded(pkg.name);
        if (left) return { pkg, error: left };
        try {
          return {
            pkg,
            backends: await withTimeout(
              loadPlugin(pkg),
              request.pluginTimeoutMs,
              `importing ${pkg.name}`,
            ),
          };
        } catch (error) {
          return { pkg, error: PluginError.isInstance(error) ? error.reason : messageOf(error) };
        }
      }),
    );
    for (const item of loaded) {
      if ('error' in item) {
        broken.push(
          unusable(item.pkg.name, null, 'discovered', item.pkg.name, item.error as string),
        );
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
  return { collected, broken };
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
