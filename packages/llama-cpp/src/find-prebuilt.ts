import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INSTALL_HINT } from './load-node-llama-cpp.js';

/** node-llama-cpp's prebuilt CPU (or default) binary package for each platform. */
const PREBUILT_CPU: Readonly<Record<string, string>> = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'linux-arm': 'linux-armv7l',
  'darwin-arm64': 'mac-arm64-metal',
  'darwin-x64': 'mac-x64',
  'win32-x64': 'win-x64',
  'win32-arm64': 'win-arm64',
};

export type InstallCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * A cheap look at the llama.cpp install, without importing node-llama-cpp (≈ 0.5 s) or
 * loading its binary (≈ 1 s): is the package resolvable, and is its prebuilt binary package
 * for this platform installed beside it? Loading happens on the first GGUF load.
 */
export function checkLlamaInstall(platform = `${process.platform}-${process.arch}`): InstallCheck {
  let entry: string;
  try {
    // ESM resolution, as the engine's lazy `import()` will do it (NODE_PATH plays no part).
    entry = fileURLToPath(import.meta.resolve('node-llama-cpp'));
  } catch {
    return { ok: false, reason: `node-llama-cpp is not installed: ${INSTALL_HINT}` };
  }
  const binary = PREBUILT_CPU[platform];
  if (binary === undefined) return { ok: true }; // unknown platform: let the load decide
  let dir = dirname(entry);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  // The binary packages are node-llama-cpp's optional dependencies: beside it, or above it.
  for (let at = dirname(dir); ; at = dirname(at)) {
    const base = at.endsWith('node_modules') ? at : join(at, 'node_modules');
    if (existsSync(join(base, '@node-llama-cpp', binary, 'package.json'))) return { ok: true };
    if (dirname(at) === at) break;
  }
  return {
    ok: false,
    reason: `node-llama-cpp has no prebuilt llama.cpp binary for ${platform} installed (its optional dependency @node-llama-cpp/${binary} is missing; reinstall without --omit=optional)`,
  };
}
