import type { DeviceInfo } from '@npu-first/core';
import { appleSiliconGpu } from './apple-silicon.js';
import { listRenderNodes } from './drm-render-nodes.js';
import type { MachineRoots } from './machine-roots.js';
import { detectNvidia } from './nvidia.js';

/** What a cheap look at the machine found for one GPU path. */
export interface CheapLook {
  readonly devices: readonly DeviceInfo[];
  /** Set when the look shows there is no GPU this path could use: what was checked. */
  readonly absent?: string;
}

/**
 * NVIDIA GPUs from the kernel driver's files (Linux only: elsewhere the engine check decides).
 * Shared by the ONNX Runtime CUDA/TensorRT paths and llama.cpp's CUDA build.
 */
export async function nvidiaLook(roots: MachineRoots): Promise<CheapLook> {
  if (process.platform !== 'linux') return { devices: [] };
  const nvidia = await detectNvidia(roots);
  return nvidia.absentBecause
    ? { devices: nvidia.gpus, absent: `no NVIDIA GPU: ${nvidia.absentBecause}` }
    : { devices: nvidia.gpus };
}

/**
 * GPUs from Linux's DRM render nodes, the way Vulkan and WebGPU reach them (elsewhere the
 * engine check decides). `why` explains, in the absent reason, what the path needs them for.
 */
export async function renderNodeLook(roots: MachineRoots, why = ''): Promise<CheapLook> {
  if (process.platform !== 'linux' || roots.sysfs === '') return { devices: [] };
  const nodes = await listRenderNodes(roots);
  if (nodes.length === 0) {
    return {
      devices: [],
      absent: `no GPU: no DRM render node under ${roots.sysfs}/class/drm${why ? ` (${why})` : ''}`,
    };
  }
  return {
    devices: nodes.map((n) => ({
      name: `${n.vendor} GPU (${n.name})`,
      vendor: n.vendor,
      ...(n.driver ? { driver: n.driver } : {}),
    })),
  };
}

/** The Apple Silicon GPU that Metal drives (CoreML's GPU units and llama.cpp's Metal build). */
export async function appleGpuLook(): Promise<CheapLook> {
  const gpu = appleSiliconGpu();
  return gpu
    ? { devices: [{ ...gpu, vendor: 'Apple', driver: 'Metal' }] }
    : { devices: [], absent: 'not macOS on Apple Silicon' };
}
