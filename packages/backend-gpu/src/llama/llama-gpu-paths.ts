import { appleSiliconGpu } from '../detect/apple-silicon.js';
import { listRenderNodes } from '../detect/drm-render-nodes.js';
import { detectNvidia } from '../detect/nvidia.js';
import type { LlamaGpuPath } from './llama-gpu-backend.js';

export const LLAMA_CUDA_PATH: LlamaGpuPath = {
  id: 'gpu-llamacpp-cuda',
  gpu: 'cuda',
  displayName: 'llama.cpp CUDA',
  priority: 85,
  platforms: ['linux-x64', 'win32-x64'],
  cheapLook: async (roots) => {
    if (process.platform !== 'linux') return { devices: [] };
    const nvidia = await detectNvidia(roots);
    return nvidia.absentBecause
      ? { devices: [], absent: `no NVIDIA GPU: ${nvidia.absentBecause}` }
      : { devices: nvidia.gpus };
  },
};

export const LLAMA_VULKAN_PATH: LlamaGpuPath = {
  id: 'gpu-llamacpp-vulkan',
  gpu: 'vulkan',
  displayName: 'llama.cpp Vulkan',
  priority: 50,
  platforms: ['linux-x64', 'linux-arm64', 'win32-x64', 'win32-arm64'],
  cheapLook: async (roots) => {
    if (process.platform !== 'linux') return { devices: [] };
    const nodes = await listRenderNodes(roots);
    if (nodes.length === 0)
      return { devices: [], absent: `no GPU: no DRM render node under ${roots.sysfs}/class/drm` };
    return {
      devices: nodes.map((n) => ({ name: `${n.vendor} GPU (${n.name})`, vendor: n.vendor })),
    };
  },
};

export const LLAMA_METAL_PATH: LlamaGpuPath = {
  id: 'gpu-llamacpp-metal',
  gpu: 'metal',
  displayName: 'llama.cpp Metal',
  priority: 90,
  platforms: ['darwin-arm64'],
  cheapLook: async () => {
    const gpu = appleSiliconGpu();
    return gpu
      ? { devices: [{ ...gpu, vendor: 'Apple' }] }
      : { devices: [], absent: 'not macOS on Apple Silicon' };
  },
};

export const LLAMA_GPU_PATHS: readonly LlamaGpuPath[] = [
  LLAMA_METAL_PATH,
  LLAMA_CUDA_PATH,
  LLAMA_VULKAN_PATH,
];
