export { cpuDevice } from './cpu-device.js';
export {
  CPU_LLAMA_BACKEND_ID,
  type CpuLlamaBackendOptions,
  createCpuLlamaBackend,
  defaultLlamaThreads,
} from './cpu-llama-backend.js';
export {
  CPU_ONNX_BACKEND_ID,
  type CpuOnnxBackendOptions,
  createCpuOnnxBackend,
} from './cpu-onnx-backend.js';
export { default as plugin } from './plugin.js';
