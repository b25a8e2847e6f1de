import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding onnxruntime-node's native libraries for this platform, if installed. */
export function ortBinaryDir(
  platform: string = process.platform,
  arch: string = process.arch,
): string | undefined {
  try {
    // ESM resolution, as the lazy `import('onnxruntime-node')` does it: …/dist/index.js → root.
    const entry = fileURLToPath(import.meta.resolve('onnxruntime-node'));
    return join(dirname(dirname(entry)), 'bin', 'napi-v6', platform, arch);
  } catch {
    return undefined;
  }
}

export type OrtInstallCheck =
  | { readonly ok: true; readonly version: string }
  | { readonly ok: false; readonly reason: string };

/**
 * A cheap look at the onnxruntime-node install, without importing it (≈ 30 ms) or starting
 * a session: is the package there, with a native binding for this platform? The engine
 * itself is imported on the first load.
 */
export function checkOrtInstall(
  platform: string = process.platform,
  arch: string = process.arch,
): OrtInstallCheck {
  const dir = ortBinaryDir(platform, arch);
  if (dir === undefined) {
    return {
      ok: false,
      reason: 'onnxruntime-node is not installed: add it with `npm install onnxruntime-node`',
    };
  }
  if (!existsSync(join(dir, 'onnxruntime_binding.node'))) {
    return {
      ok: false,
      reason: `onnxruntime-node ships no binary for ${platform}-${arch} (looked in ${dir})`,
    };
  }
  return { ok: true, version: installedVersion(dir) };
}

/** onnxruntime-node's version from its package.json (…/bin/napi-v6/<os>/<arch> → root). */
function installedVersion(binaryDir: string): string {
  try {
    const root = dirname(dirname(dirname(dirname(binaryDir))));
    return (
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string })
        .version ?? 'unknown'
    );
  } catch {
    return 'unknown';
  }
}
