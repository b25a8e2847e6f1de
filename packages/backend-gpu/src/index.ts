export { appleSiliconGpu } from './detect/apple-silicon.js';
export { appleGpuLook, type CheapLook, nvidiaLook, renderNodeLook } from './detect/cheap-looks.js';
export { listRenderNodes, type RenderNode } from './detect/drm-render-nodes.js';
export { type MachineRoots, machineRoots } from './detect/machine-roots.js';
export { detectNvidia, type NvidiaDetection } from './detect/nvidia.js';
export { listVulkanIcds } from './detect/vulkan-icds.js';
export { judgeLlamaGpu, type LlamaGpuReport } from './llama/judge-llama-gpu.js';
export {
  createLlamaGpuBackend,
  type LlamaGpuBackendOptions,
  type LlamaGpuPath,
} from './llama/llama-gpu-backend.js';
export {
  LLAMA_CUDA_PATH,
  LLAMA_GPU_PATHS,
  LLAMA_METAL_PATH,
  LLAMA_VULKAN_PATH,
} from './llama/llama-gpu-paths.js';
export { checkExecutionProvider } from './ort/engine-check.js';
export {
  COREML_GPU_PATH,
  CUDA_PATH,
  DIRECTML_PATH,
  ORT_GPU_PATHS,
  TENSORRT_PATH,
  WEBGPU_PATH,
} from './ort/gpu-paths.js';
export {
  createOrtGpuBackend,
  type OrtGpuBackendOptions,
  type OrtGpuPath,
} from './ort/ort-gpu-backend.js';
export { default as plugin } from './plugin.js';
