export { appleSiliconGpu } from './detect/apple-silicon.js';
export {
  appleGpuLook,
  type CheapLook,
  type CheapLookFn,
  nvidiaLook,
} from './detect/cheap-looks.js';
export { listRenderNodes, type RenderNode } from './detect/drm-render-nodes.js';
export {
  type Env,
  type MachineRoots,
  machineRoots,
  vulkanIcdDirs,
} from './detect/machine-roots.js';
export { detectNvidia, type NvidiaDetection } from './detect/nvidia.js';
export { findSharedLibrary, type LibraryLook } from './detect/shared-libraries.js';
export {
  type IcdKind,
  listVulkanIcds,
  type VulkanIcd,
  vulkanDriverOverrides,
} from './detect/vulkan-icds.js';
export { type VulkanLook, vulkanLook } from './detect/vulkan-look.js';
export {
  type AskOptions,
  askEngine,
  ENGINE_PROBE_TIMEOUT_MS,
  type EngineReply,
} from './engine-probe/ask-engine.js';
export { alwaysAskEngine } from './engine-probe/probe-mode.js';
export type {
  EngineAnswer,
  EngineQuestion,
  LlamaAnswer,
  OrtAnswer,
} from './engine-probe/questions.js';
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
  type OrtFailure,
  type OrtGpuBackendOptions,
  type OrtGpuPath,
} from './ort/ort-gpu-backend.js';
export { default as plugin } from './plugin.js';
export { diagnoseVulkan, type VulkanDiagnosis } from './vulkan/diagnose-vulkan.js';
