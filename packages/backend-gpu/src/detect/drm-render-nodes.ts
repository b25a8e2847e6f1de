import { readdir, readFile, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { MachineRoots } from './machine-roots.js';
import { GPU_VENDORS } from './pci-vendors.js';

/** A DRM render node: how Linux exposes a GPU that user space can compute on. */
export interface RenderNode {
  readonly name: string;
  readonly vendorId?: string;
  readonly vendor: string;
  readonly driver?: string;
}

/**
 * Lists `/sys/class/drm/renderD*` with vendor and kernel driver. No render node means no GPU
 * that Vulkan, WebGPU or CUDA could use, whatever software is installed.
 */
export async function listRenderNodes(roots: MachineRoots): Promise<RenderNode[]> {
  const drm = join(roots.sysfs, 'class', 'drm');
  let names: string[];
  try {
    names = (await readdir(drm)).filter((n) => n.startsWith('renderD')).sort();
  } catch {
    return [];
  }
  return Promise.all(
    names.map(async (name) => {
      const device = join(drm, name, 'device');
      const vendorId = (await readFile(join(device, 'vendor'), 'utf8').catch(() => '')).trim();
      const driver = await readlink(join(device, 'driver')).then(basename, () => undefined);
      return {
        name,
        vendor: GPU_VENDORS[vendorId] ?? (vendorId ? `PCI vendor ${vendorId}` : 'unknown'),
        ...(vendorId ? { vendorId } : {}),
        ...(driver ? { driver } : {}),
      };
    }),
  );
}
