import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { type BackendManifest, readManifest } from './manifest.js';

/** An installed package that declares itself a backend. */
export interface BackendPackage {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  /** The manifest, or why it is malformed. */
  readonly manifest: BackendManifest | string;
}

const DEPENDENCY_FIELDS = [
  'dependencies',
  'optionalDependencies',
  'devDependencies',
  'peerDependencies',
] as const;

/**
 * Finds the backend packages an application depends on. From each root it takes the
 * nearest `package.json`, lists the packages named in its dependency fields, resolves each
 * the way Node does (walking up `node_modules` folders, following pnpm's links) and keeps
 * those whose `package.json` has an `"npu-first"` manifest. Only declared dependencies are
 * looked at: nothing else on disk is ever loaded.
 */
export function findBackendPackages(roots: readonly string[]): BackendPackage[] {
  const found = new Map<string, BackendPackage>();
  for (const root of roots) {
    const appJson = nearestPackageJson(resolve(root));
    if (!appJson) continue;
    const app = readJson(appJson);
    if (!app) continue;
    const names = new Set<string>();
    for (const field of DEPENDENCY_FIELDS) {
      const deps = app[field];
      if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) names.add(name);
    }
    for (const name of names) {
      if (found.has(name)) continue;
      const dir = resolvePackageDir(name, appJson);
      if (!dir) continue;
      const pkg = readJson(join(dir, 'package.json'));
      const manifest = pkg ? readManifest(pkg) : undefined;
      if (pkg && manifest !== undefined) {
        found.set(name, { name, version: String(pkg.version ?? '0.0.0'), dir, manifest });
      }
    }
  }
  return [...found.values()];
}

/** The nearest `package.json` at or above `start`. */
export function nearestPackageJson(start: string): string | undefined {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Where `name` is installed, as seen from the application: Node's lookup — the nearest
 * `node_modules/<name>` walking up from the application (pnpm's links included) — then Node's
 * own resolver, which also understands Yarn Plug'n'Play. The walk comes first because it is a
 * few `stat` calls, where the resolver costs about a millisecond a package.
 */
function resolvePackageDir(name: string, appJson: string): string | undefined {
  let dir = dirname(appJson);
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  try {
    return dirname(createRequire(appJson).resolve(`${name}/package.json`));
  } catch {
    return undefined; // not installed, or its `exports` hide its package.json
  }
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
