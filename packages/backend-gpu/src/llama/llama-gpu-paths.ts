import { appleGpuLook, nvidiaLook } from '../detect/cheap-looks.js';
import { vulkanLook } from '../detect/vulkan-look.js';
import type { LlamaGpuPath } from './llama-gpu-backend.js';

export const LLAMA_CUDA_PATH: LlamaGpuPath = {
  id: 'gpu-llamacpp-cuda',
  gpu: 'cuda',
  displayName: 'llama.cpp CUDA',
  priority: 85,
  platforms: ['linux-x64', 'win32-x64'],
  cheapLook: nvidiaLook,
};

export const LLAMA_VULKAN_PATH: LlamaGpuPath = {
  id: 'gpu-llamacpp-vulkan',
  gpu: 'vulkan',
  displayName: 'llama.cpp Vulkan',
  priority: 50,
  platforms: ['linux-x64', 'linux-arm64', 'win32-x64', 'win32-arm64'],
  cheapLook: vulkanLook,
};

export const LLAMA_METAL_PATH: LlamaGpuPath = {
  id: 'gpu-llamacpp-metal',
  gpu: 'metal',
  displayName: 'llama.cpp Metal',
  priority: 90,
  platforms: ['darwin-arm64'],
  cheapLook: appleGpuLook,
};

export const LLAMA_GPU_PATHS: readonly LlamaGpuPath[] = [
  LLAMA_METAL_PATH,
  LLAMA_CUDA_PATH,
  LLAMA_VULKAN_PATH,
];
