import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import {
  createRuntime,
  envMilliseconds,
  findBackendPackages,
  InvalidOptionError,
  packageRootOf,
  type Runtime,
  type RuntimeOptions,
} from '@npu-first/core';

/** The CLI package's own folder. */
export const PACKAGE_ROOT = packageRootOf(import.meta.url);

/** Set to `1` to let the CLI load the backend plugins of the project in the current directory. */
export const TRUST_PROJECT_ENV = 'NPU_FIRST_TRUST_PROJECT';

/** Environment variables that bound the runtime's steps, in ms (the CLI has no flags for them). */
export const TIMEOUT_ENV = {
  pluginTimeoutMs: 'NPU_FIRST_PLUGIN_TIMEOUT_MS',
  probeTimeoutMs: 'NPU_FIRST_PROBE_TIMEOUT_MS',
  loadTimeoutMs: 'NPU_FIRST_LOAD_TIMEOUT_MS',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The runtime the CLI uses: the backends installed beside the CLI itself, plus those of the
 * project in the current directory when that project is trusted (see `discoveryRoots`).
 * Probing is lazy: a command that loads one model only probes the backends the chain reaches.
 */
export function cliRuntime(env: Env = process.env): Promise<Runtime> {
  const { roots, skipped } = discoveryRoots(PACKAGE_ROOT, process.cwd(), env);
  if (skipped) warnSkipped(skipped);
  return createRuntime({ roots, probe: 'lazy', ...timeoutsFrom(env) });
}

/**
 * Where the CLI discovers plugins. A tool run anywhere must not import code just because the
 * current directory's `package.json` declares it (an untrusted checkout would run its code
 * on `npu-first devices`), so the CLI's own installation is always a root, and the current
 * project only when it is trusted: the CLI is installed in it (the user put it there, so the
 * project is theirs), or `NPU_FIRST_TRUST_PROJECT=1` says so. `skipped` is a project left out
 * that declares backend plugins.
 */
export function discoveryRoots(
  packageRoot: string,
  cwd: string,
  env: Env,
): { roots: string[]; skipped?: { project: string; plugins: string[] } } {
  const project = projectOf(cwd);
  if (project === undefined || trustsProject(env) || installedIn(packageRoot, project))
    return { roots: [packageRoot, cwd] };
  // Reading the manifests imports nothing: only to say what was left out.
  const plugins = findBackendPackages([cwd]).map((p) => p.name);
  return plugins.length > 0
    ? { roots: [packageRoot], skipped: { project, plugins } }
    : { roots: [packageRoot] };
}

/** The folder of the nearest `package.json` at or above `cwd`. */
function projectOf(cwd: string): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Whether the CLI at `packageRoot` is the project's own — the project itself, or installed in
 * its `node_modules` — by real paths, so a symlink the project ships cannot claim the CLI.
 */
export function installedIn(packageRoot: string, project: string): boolean {
  try {
    const cli = realpathSync(packageRoot);
    const dir = realpathSync(project);
    if (cli === dir) return true;
    const inside = relative(join(dir, 'node_modules'), cli);
    return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
  } catch {
    return false;
  }
}

function trustsProject(env: Env): boolean {
  const value = (env[TRUST_PROJECT_ENV] ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'no'].includes(value)) return false;
  if (['1', 'true', 'yes'].includes(value)) return true;
  throw new InvalidOptionError(TRUST_PROJECT_ENV, `expected 1 or 0, got "${value}"`);
}

let warned = false;

/** Says once, on stderr (never in `--json` output), which project plugins were not loaded. */
function warnSkipped({ project, plugins }: { project: string; plugins: string[] }): void {
  if (warned) return;
  warned = true;
  process.stderr.write(
    `npu-first: not loading the backend plugins of ${project} (${plugins.join(', ')}): this CLI is not installed in that project. Set ${TRUST_PROJECT_ENV}=1 to load them.\n`,
  );
}

/** `NPU_FIRST_*_TIMEOUT_MS` as runtime options; each a whole number of ms ≥ 1. */
function timeoutsFrom(env: Env): Pick<RuntimeOptions, keyof typeof TIMEOUT_ENV> {
  const options: { -readonly [K in keyof typeof TIMEOUT_ENV]?: number } = {};
  for (const [key, name] of Object.entries(TIMEOUT_ENV) as [keyof typeof TIMEOUT_ENV, string][]) {
    const ms = envMilliseconds(env, name);
    if (ms !== undefined) options[key] = ms;
  }
  return options;
}
