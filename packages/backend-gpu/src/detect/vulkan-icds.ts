import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Env, MachineRoots } from './machine-roots.js';

/**
 * How a Vulkan driver reaches hardware:
 * - `software`: it rasterises on the CPU (Mesa's lavapipe, SwiftShader): never a GPU;
 * - `drm`: one of Mesa's hardware drivers, which find their GPU through DRM render nodes
 *   (/dev/dri/renderD*) only, so without a render node they have nothing to find;
 * - `standalone`: any other (NVIDIA's, which talks to /dev/nvidia*; Mesa's dzn on WSL; drivers
 *   we do not know): it may find a GPU without a render node, so only the engine can tell.
 */
export type IcdKind = 'software' | 'drm' | 'standalone';

/** One installed Vulkan driver, from its ICD manifest. */
export interface VulkanIcd {
  /** The manifest's path. */
  readonly manifest: string;
  /** The driver's short name, from the manifest's file name: `nvidia`, `radeon`, `lvp`. */
  readonly name: string;
  readonly kind: IcdKind;
  /** For messages: `llvmpipe (Mesa lavapipe)`, `radeon (Mesa)`, `nvidia`. */
  readonly label: string;
}

const SOFTWARE: readonly [RegExp, string][] = [
  [/^lvp$/, 'llvmpipe (Mesa lavapipe)'],
  [/swiftshader/i, 'SwiftShader'],
];

/** Mesa's drivers that open a DRM render node to find their GPU. */
const DRM_BOUND =
  /^(radeon|intel|intel_hasvk|nouveau|freedreno|panfrost|broadcom|virtio|asahi|powervr_mesa|v3dv|etnaviv|lima)$/;

/**
 * The Vulkan drivers installed (their ICD manifests), in the loader's folder order. Read
 * synchronously: the loader's seven folders take ~0.2 ms so, ~1.4 ms through promises.
 */
export async function listVulkanIcds(roots: MachineRoots): Promise<VulkanIcd[]> {
  return roots.vulkanIcd.flatMap((dir) => {
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      return [];
    }
    return files
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((file) => classify(join(dir, file), file.replace(/(_icd)?(\.[\w-]+)?\.json$/, '')));
  });
}

function classify(manifest: string, name: string): VulkanIcd {
  const soft = SOFTWARE.find(([re]) => re.test(name));
  if (soft) return { manifest, name, kind: 'software', label: soft[1] };
  if (DRM_BOUND.test(name)) return { manifest, name, kind: 'drm', label: `${name} (Mesa)` };
  return { manifest, name, kind: 'standalone', label: name };
}

/** The `library_path` a manifest names (for explanations; `undefined` when unreadable). */
export async function icdLibrary(icd: VulkanIcd): Promise<string | undefined> {
  try {
    const json = JSON.parse(await readFile(icd.manifest, 'utf8')) as {
      ICD?: { library_path?: unknown };
    };
    return typeof json.ICD?.library_path === 'string' ? json.ICD.library_path : undefined;
  } catch {
    return undefined;
  }
}

/** Variables that make the Vulkan loader use (or add) driver manifests from other places. */
export const VULKAN_DRIVER_VARIABLES = [
  'VK_ICD_FILENAMES',
  'VK_DRIVER_FILES',
  'VK_ADD_DRIVER_FILES',
] as const;

/** The driver overrides set in `env`, as `NAME=value`. */
export function vulkanDriverOverrides(env: Env): string[] {
  return VULKAN_DRIVER_VARIABLES.filter((v) => env[v]).map((v) => `${v}=${env[v]}`);
}
