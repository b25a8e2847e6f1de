import type { DeviceInfo } from '@npu-first/core';
import { appleSiliconGpu } from './apple-silicon.js';
import type { Env, MachineRoots } from './machine-roots.js';
import { detectNvidia } from './nvidia.js';

/** What a cheap look at the machine found for one GPU path, without starting its engine. */
export interface CheapLook {
  /** Devices seen, named by the driver (each says where its name came from in `details`). */
  readonly devices: readonly DeviceInfo[];
  /**
   * Set only when the look proves the engine has nothing at all to find: what was checked,
   * and the fix. The probe then answers without starting the engine (unless
   * `NPU_FIRST_PROBE=engine`), and the reason is this text.
   */
  readonly absent?: string;
}

/** A cheap look, as a GPU path declares it. */
export type CheapLookFn = (roots: MachineRoots, env: Env) => Promise<CheapLook>;

/**
 * NVIDIA GPUs from the kernel driver (Linux only: elsewhere the engine decides). CUDA cannot
 * work without the kernel driver, so its absence — no /proc/driver/nvidia and no
 * /dev/nvidiactl — is a refusal. Shared by the ONNX Runtime CUDA/TensorRT paths and llama.cpp's
 * CUDA build.
 */
export async function nvidiaLook(roots: MachineRoots): Promise<CheapLook> {
  if (process.platform !== 'linux') return { devices: [] };
  const nvidia = await detectNvidia(roots);
  return nvidia.absentBecause
    ? { devices: nvidia.gpus, absent: `no NVIDIA GPU: ${nvidia.absentBecause}` }
    : { devices: nvidia.gpus };
}

/** The Apple Silicon GPU that Metal drives (CoreML's GPU units and llama.cpp's Metal build). */
export async function appleGpuLook(): Promise<CheapLook> {
  const gpu = appleSiliconGpu();
  return gpu
    ? { devices: [{ ...gpu, vendor: 'Apple', driver: 'Metal' }] }
    : { devices: [], absent: 'not macOS on Apple Silicon' };
}
