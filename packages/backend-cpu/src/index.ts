export { cpuDevice } from './cpu-device.js';
export {
  type CpuLlamaBackendOptions,
  createCpuLlamaBackend,
  defaultLlamaThreads,
} from './cpu-llama-backend.js';
export {
  type CpuOnnxBackendOptions,
  createCpuOnnxBackend,
} from './cpu-onnx-backend.js';
export {
  CPU_LLAMA_BACKEND_ID,
  CPU_LLAMA_DESCRIPTOR,
  CPU_ONNX_BACKEND_ID,
  CPU_ONNX_DESCRIPTOR,
} from './descriptors.js';
export { default as plugin } from './plugin.js';
