import { dirname, join } from 'node:path';
import type { DeviceInfo } from '@npu-first/core';
import { appleSiliconGpu } from './apple-silicon.js';
import type { CheapLook } from './cheap-looks.js';
import { listRenderNodes, type RenderNode } from './drm-render-nodes.js';
import type { Env, MachineRoots } from './machine-roots.js';
import { detectNvidia, type NvidiaDetection } from './nvidia.js';
import { listVulkanIcds, type VulkanIcd, vulkanDriverOverrides } from './vulkan-icds.js';

/** The cheap look for the GPU paths that run on Vulkan, with what it saw (for explanations). */
export interface VulkanLook extends CheapLook {
  readonly roots: MachineRoots;
  readonly renderNodes: readonly RenderNode[];
  readonly nvidia: NvidiaDetection;
  readonly icds: readonly VulkanIcd[];
  /** Driver overrides set in the environment, as `NAME=value`. */
  readonly overrides: readonly string[];
}

const looks = new Map<string, Promise<VulkanLook>>();

/**
 * The cheap look for llama.cpp's Vulkan build and ONNX Runtime's WebGPU (Dawn runs on Vulkan
 * on Linux). It may speed a probe up where it proves the engine has nothing at all to find, and
 * explain a refusal the engine confirms; it never refuses where the engine could find a GPU.
 *
 * The rule. On Linux it answers "absent" without starting the engine ONLY when none of these
 * exist:
 * 1. a DRM render node (`/sys/class/drm/renderD*`);
 * 2. the NVIDIA kernel driver (`/proc/driver/nvidia/version`, or `/dev/nvidiactl` with
 *    `/dev/nvidia<N>` in a container that hides /proc/driver/nvidia);
 * 3. a hardware Vulkan driver manifest in the loader's `icd.d` folders (`vulkanIcdDirs`) that
 *    can reach a GPU without a render node — NVIDIA's, or one we do not know. Mesa's hardware
 *    drivers (radeon, intel, nouveau…) open render nodes to find their GPU, so rule 1 already
 *    covers them; software rasterisers (lavapipe, SwiftShader) never count;
 * 4. a driver override in the environment (`VK_ICD_FILENAMES`, `VK_DRIVER_FILES`,
 *    `VK_ADD_DRIVER_FILES`).
 * Headless NVIDIA servers, cloud VMs and containers have no render node but rule 2 or 3 holds:
 * the engine is asked and its answer decides. Elsewhere (Windows, macOS) the engine always
 * decides. Once per roots, environment and process: both Vulkan paths ask.
 */
export function vulkanLook(roots: MachineRoots, env: Env = process.env): Promise<VulkanLook> {
  const overrides = vulkanDriverOverrides(env);
  const key = JSON.stringify([roots, overrides]);
  let look = looks.get(key);
  if (!look) {
    look = lookAt(roots, overrides);
    looks.set(key, look);
  }
  return look;
}

async function lookAt(roots: MachineRoots, overrides: string[]): Promise<VulkanLook> {
  if (process.platform !== 'linux' || roots.sysfs === '') {
    const apple = appleSiliconGpu();
    const devices: DeviceInfo[] = apple
      ? [{ ...apple, vendor: 'Apple', details: { nameFrom: 'the CPU model (Apple Silicon)' } }]
      : [];
    return { devices, roots, renderNodes: [], nvidia: { gpus: [] }, icds: [], overrides };
  }
  const [renderNodes, nvidia, icds] = await Promise.all([
    listRenderNodes(roots),
    detectNvidia(roots),
    listVulkanIcds(roots),
  ]);
  const facts = { roots, renderNodes, nvidia, icds, overrides };
  const standalone = icds.some((icd) => icd.kind === 'standalone');
  if (renderNodes.length > 0 || nvidia.seenAt || standalone || overrides.length > 0) {
    return { devices: namedDevices(roots, renderNodes, nvidia), ...facts };
  }
  return { devices: [], absent: absentReason(roots, icds), ...facts };
}

/**
 * GPUs named by their driver: the NVIDIA driver's names, else the PCI vendor of each render
 * node ("AMD GPU"), never the node's own name. The engine's names replace these when it gives
 * any.
 */
function namedDevices(
  roots: MachineRoots,
  renderNodes: readonly RenderNode[],
  nvidia: NvidiaDetection,
): DeviceInfo[] {
  const others = renderNodes.filter((n) => n.vendor !== 'NVIDIA' || nvidia.gpus.length === 0);
  return [
    ...nvidia.gpus,
    ...others.map((n) => ({
      name: /GPU/.test(n.vendor) ? n.vendor : `${n.vendor} GPU`,
      vendor: n.vendor,
      ...(n.driver ? { driver: n.driver } : {}),
      details: {
        nameFrom: `PCI vendor ${n.vendorId ?? 'unknown'} of ${join(roots.sysfs, 'class', 'drm', n.name)}`,
      },
    })),
  ];
}

function absentReason(roots: MachineRoots, icds: readonly VulkanIcd[]): string {
  const software = icds
    .filter((i) => i.kind === 'software')
    .map((i) => `${i.label}, a CPU rasteriser`);
  const drm = icds.filter((i) => i.kind === 'drm').map((i) => i.name);
  const installed = [
    ...software,
    ...(drm.length > 0 ? [`Mesa's ${drm.join(', ')}, which need one`] : []),
  ];
  const folders = [...new Set(icds.map((i) => dirname(i.manifest)))];
  const drivers =
    icds.length > 0
      ? `no Vulkan driver that finds a GPU without a render node (in ${folders.join(', ')}: ${installed.join('; ')})`
      : `no Vulkan driver manifest (in ${roots.vulkanIcd.join(', ')})`;
  return (
    `no GPU that Vulkan could reach: no DRM render node (${join(roots.sysfs, 'class', 'drm')}), ` +
    `no NVIDIA kernel driver (${join(roots.proc, 'driver', 'nvidia', 'version')}, ${join(roots.dev, 'nvidiactl')}), ` +
    `${drivers}, and none named in VK_ICD_FILENAMES, VK_DRIVER_FILES or VK_ADD_DRIVER_FILES; ` +
    "fix: install the GPU's kernel and Vulkan drivers (NVIDIA: its driver with the Vulkan ICD; " +
    'AMD/Intel: amdgpu or i915 with mesa-vulkan-drivers) or pass the GPU into the container ' +
    '(--gpus all with NVIDIA_DRIVER_CAPABILITIES=all, or --device /dev/dri); ' +
    'NPU_FIRST_PROBE=engine asks the engine anyway'
  );
}
