import {
  type Backend,
  type DeviceInfo,
  EngineMissingError,
  InvalidOptionError,
  messageOf,
  type ProbeResult,
} from '@npu-first/core';
import { createLlamaGenerator, getLlamaFor, type LlamaGpu } from '@npu-first/llama-cpp';
import { gpuDescriptor } from '../descriptors.js';
import type { CheapLook } from '../detect/cheap-looks.js';
import { type MachineRoots, machineRoots } from '../detect/machine-roots.js';
import { currentPlatform, describePlatform } from '../detect/platform.js';
import { listVulkanIcds } from '../detect/vulkan-icds.js';
import { judgeLlamaGpu } from './judge-llama-gpu.js';

/** One llama.cpp GPU build, described as data. */
export interface LlamaGpuPath {
  readonly id: string;
  readonly gpu: Exclude<LlamaGpu, false>;
  readonly displayName: string;
  readonly priority: number;
  readonly platforms: readonly string[];
  readonly cheapLook?: (roots: MachineRoots) => Promise<CheapLook>;
}

export interface LlamaGpuBackendOptions {
  readonly roots?: Partial<MachineRoots>;
  readonly platform?: string;
}

/** node-llama-cpp's name for "no prebuilt binary of this build loads here". */
function explainLoadFailure(path: LlamaGpuPath, error: unknown): string {
  const message = messageOf(error);
  if (/NoBinaryFound/i.test(message) || /NoBinaryFound/.test((error as Error)?.name ?? '')) {
    const needs =
      path.gpu === 'vulkan'
        ? 'the Vulkan loader (libvulkan.so.1 / vulkan-1.dll) and a GPU driver'
        : path.gpu === 'cuda'
          ? 'the NVIDIA driver and CUDA runtime'
          : 'Metal';
    return `node-llama-cpp has no prebuilt ${path.displayName} build that loads here (needs ${needs}, and its @node-llama-cpp/* ${path.gpu} package installed)`;
  }
  return `${path.displayName} build failed to load: ${message}`;
}

/**
 * A GPU backend for GGUF models on one llama.cpp build. The probe refuses what is not a GPU:
 * a cheap look at the machine first, then the build is loaded and must report at least one
 * GPU device with VRAM. Layers are offloaded to the GPU (all by default; `gpuLayers` in
 * `backendOptions[id]` takes a number, `'max'` or `'auto'`); the device's VRAM is reported.
 */
export function createLlamaGpuBackend(
  path: LlamaGpuPath,
  options: LlamaGpuBackendOptions = {},
): Backend {
  const roots = machineRoots(options.roots);
  const platform = options.platform ?? currentPlatform();
  return {
    ...gpuDescriptor(path, 'llamacpp'),
    async probe(): Promise<ProbeResult> {
      if (!path.platforms.includes(platform)) {
        return {
          available: false,
          devices: [],
          reason: `node-llama-cpp ships its ${path.displayName} build for ${path.platforms.map(describePlatform).join(', ')}; this is ${describePlatform(platform)}`,
        };
      }
      const software = (await listVulkanIcds(roots)).software;
      const look = path.cheapLook ? await path.cheapLook(roots) : { devices: [] };
      if (look.absent) {
        const rasteriser =
          path.gpu === 'vulkan' && software.length > 0
            ? `; Vulkan would only find ${software.join(', ')}, a CPU rasteriser`
            : '';
        return { available: false, devices: look.devices, reason: `${look.absent}${rasteriser}` };
      }
      let llama: Awaited<ReturnType<typeof getLlamaFor>>;
      try {
        llama = await getLlamaFor(path.gpu);
      } catch (error) {
        return {
          available: false,
          devices: look.devices,
          reason: EngineMissingError.isInstance(error)
            ? messageOf(error)
            : explainLoadFailure(path, error),
        };
      }
      const deviceNames = await llama.getGpuDeviceNames().catch(() => [] as string[]);
      const vram = await llama.getVramState().catch(() => ({ total: 0 }));
      const verdict = judgeLlamaGpu(
        path.gpu,
        { gpu: llama.gpu, deviceNames, vramTotalBytes: vram.total },
        software,
      );
      if (verdict) return { available: false, devices: look.devices, reason: verdict };
      const devices: DeviceInfo[] = deviceNames.map((name, i) => ({
        name,
        driver: path.displayName,
        ...(i === 0 ? { memoryBytes: vram.total } : {}),
      }));
      return { available: true, devices };
    },
    async load(model, context) {
      const { gpuLayers, ...rest } = (context.backendOptions ?? {}) as { gpuLayers?: unknown };
      const extra = Object.keys(rest)[0];
      if (extra !== undefined)
        throw new InvalidOptionError(
          `backendOptions.${path.id}.${extra}`,
          'unknown option (known: gpuLayers)',
        );
      if (
        gpuLayers !== undefined &&
        gpuLayers !== 'max' &&
        gpuLayers !== 'auto' &&
        !(Number.isInteger(gpuLayers) && (gpuLayers as number) >= 0)
      ) {
        throw new InvalidOptionError(
          `backendOptions.${path.id}.gpuLayers`,
          `expected a layer count, "max" or "auto", got ${String(gpuLayers)}`,
        );
      }
      const device = context.probe.devices[0] ?? { name: path.displayName };
      const { contextSize, threads } = context.options;
      return createLlamaGenerator({
        backendId: path.id,
        gpu: path.gpu,
        model,
        device,
        gpuLayers: (gpuLayers as number | 'max' | 'auto' | undefined) ?? 'max',
        ...(contextSize !== undefined ? { contextSize } : {}),
        ...(threads !== undefined ? { threads } : {}),
        signal: context.signal,
      });
    },
  };
}
