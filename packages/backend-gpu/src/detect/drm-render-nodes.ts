import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
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
 * Lists `/sys/class/drm/renderD*` with vendor and kernel driver: how Mesa's Vulkan drivers
 * (and so WebGPU on AMD and Intel GPUs) reach a GPU. NVIDIA's driver needs none.
 * Synchronous, like the other cheap looks: a few sysfs entries cost microseconds read
 * directly, and ~0.2 ms each through the promise API's thread pool.
 */
export async function listRenderNodes(roots: MachineRoots): Promise<RenderNode[]> {
  const drm = join(roots.sysfs, 'class', 'drm');
  let names: string[];
  try {
    names = readdirSync(drm)
      .filter((n) => n.startsWith('renderD'))
      .sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const device = join(drm, name, 'device');
    const vendorId = readOr(() => readFileSync(join(device, 'vendor'), 'utf8'), '').trim();
    const driver = readOr(() => basename(readlinkSync(join(device, 'driver'))), undefined);
    return {
      name,
      vendor: GPU_VENDORS[vendorId] ?? (vendorId ? `PCI vendor ${vendorId}` : 'unknown'),
      ...(vendorId ? { vendorId } : {}),
      ...(driver ? { driver } : {}),
    };
  });
}

function readOr<T, F>(read: () => T, fallback: F): T | F {
  try {
    return read();
  } catch {
    return fallback;
  }
}
