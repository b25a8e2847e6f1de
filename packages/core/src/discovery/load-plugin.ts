import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginError } from '../errors/errors.js';
import { type Backend, DEVICE_KINDS, SPECIFICATION_VERSION } from '../spec/backend.js';
import { type BackendV2, SPECIFICATION_VERSION_V2 } from '../spec/backend-v2.js';
import { adaptV1, isBackendV2 } from '../spec/v1-adapter.js';
import { messageOf } from '../util/timeout.js';
import type { BackendPackage } from './find-packages.js';

/** Spec versions this runtime can drive. */
export const SUPPORTED_SPECIFICATION_VERSIONS: readonly string[] = [
  SPECIFICATION_VERSION,
  SPECIFICATION_VERSION_V2,
];

/** Imports a discovered package's plugin entry and returns its validated backends. */
export async function loadPlugin(pkg: BackendPackage): Promise<BackendV2[]> {
  const { manifest } = pkg;
  if (typeof manifest === 'string') throw new PluginError(pkg.name, manifest);
  checkVersion(pkg.name, manifest.specificationVersion);
  const entry = pluginEntry(pkg.name, pkg.dir, manifest.plugin);
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(entry).href);
  } catch (error) {
    throw new PluginError(pkg.name, `importing ${manifest.plugin} failed: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const plugin = mod.default as
    | { specificationVersion?: unknown; createBackends?: unknown }
    | undefined;
  if (!plugin || typeof plugin.createBackends !== 'function') {
    throw new PluginError(
      pkg.name,
      `${manifest.plugin} must export default { specificationVersion, createBackends() }`,
    );
  }
  checkVersion(pkg.name, plugin.specificationVersion);
  let backends: unknown;
  try {
    backends = await (plugin.createBackends as () => unknown)();
  } catch (error) {
    throw new PluginError(pkg.name, `createBackends() threw: ${messageOf(error)}`, {
      cause: error,
    });
  }
  if (!Array.isArray(backends))
    throw new PluginError(pkg.name, 'createBackends() must return an array of backends');
  return backends.map((b) => validateBackend(b, pkg.name));
}

/**
 * The real path of a manifest's `plugin` file, which must lie inside its package: a manifest
 * is data from whatever is installed, and `"plugin": "../../outside.js"` (or a symlink that
 * leads out) must not make discovery import a file the package does not own.
 */
export function pluginEntry(name: string, dir: string, plugin: string): string {
  let realDir: string;
  let realFile: string;
  try {
    realDir = realpathSync(dir);
    realFile = realpathSync(join(realDir, plugin));
  } catch {
    throw new PluginError(name, `its plugin entry ${plugin} does not exist in ${dir}`);
  }
  const inside = relative(realDir, realFile);
  if (inside === '' || inside.split(sep)[0] === '..' || isAbsolute(inside)) {
    throw new PluginError(
      name,
      `its plugin entry ${plugin} resolves to ${realFile}, outside the package (${realDir}); it is not imported`,
    );
  }
  return realFile;
}

function checkVersion(plugin: string, version: unknown): void {
  if (typeof version !== 'string' || !SUPPORTED_SPECIFICATION_VERSIONS.includes(version)) {
    throw new PluginError(
      plugin,
      `implements backend spec ${JSON.stringify(version)}; this runtime supports ${SUPPORTED_SPECIFICATION_VERSIONS.join(', ')}`,
    );
  }
}

/**
 * Checks the shape of a backend object; `source` names it in errors. The runtime drives spec
 * v2 only: a v2 backend comes back as it is, a v1 backend through `adaptV1`.
 */
export function validateBackend(value: unknown, source: string): BackendV2 {
  const b = value as Partial<Backend> | null;
  const problem = (what: string) =>
    new PluginError(source, `backend ${b && typeof b.id === 'string' ? `"${b.id}" ` : ''}${what}`);
  if (typeof b !== 'object' || b === null) throw problem('is not an object');
  if (typeof b.id !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(b.id))
    throw problem('needs an id of lower-case letters, digits, ".", "_" or "-"');
  if (!SUPPORTED_SPECIFICATION_VERSIONS.includes(b.specificationVersion as string)) {
    throw problem(
      `implements backend spec ${JSON.stringify(b.specificationVersion)}; this runtime supports ${SUPPORTED_SPECIFICATION_VERSIONS.join(', ')}`,
    );
  }
  if (!DEVICE_KINDS.includes(b.deviceKind as never))
    throw problem(`has deviceKind ${JSON.stringify(b.deviceKind)}; expected npu, gpu or cpu`);
  if (!Array.isArray(b.formats) || !Array.isArray(b.tasks))
    throw problem('must list formats and tasks');
  if (typeof b.probe !== 'function' || typeof b.load !== 'function')
    throw problem('must implement probe() and load()');
  if (b.priority !== undefined && !Number.isFinite(b.priority))
    throw problem('has a non-numeric priority');
  const backend = b as Backend;
  if (!isBackendV2(backend)) return adaptV1(backend);
  const { capabilities } = backend;
  if (capabilities !== undefined && (typeof capabilities !== 'object' || capabilities === null))
    throw problem('has capabilities that are not an object');
  return backend;
}
