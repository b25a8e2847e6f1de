import { appleGpuLook, nvidiaLook, renderNodeLook } from '../detect/cheap-looks.js';
import type { OrtGpuPath } from './ort-gpu-backend.js';

const CUDA_LIBRARIES = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'];

/** The CUDA runtime itself (libcudart, cuDNN) is the usual missing piece once the EP libraries exist. */
function explainCuda(name: string) {
  return (message: string) =>
    /Failed to load|cannot open shared object|libcu|cudnn/i.test(message)
      ? `${name} could not load the CUDA runtime (${message}); install CUDA 12 and cuDNN 9 and make them visible to the loader (LD_LIBRARY_PATH)`
      : `${name} failed to start: ${message}`;
}

export const CUDA_PATH: OrtGpuPath = {
  id: 'gpu-onnxruntime-cuda',
  ep: 'cuda',
  displayName: 'CUDA',
  priority: 80,
  platforms: ['linux-x64'],
  requiredLibraries: CUDA_LIBRARIES,
  cheapLook: nvidiaLook,
  epOptions: (deviceId) => ({ deviceId }),
  explain: explainCuda('CUDA'),
};

export const TENSORRT_PATH: OrtGpuPath = {
  id: 'gpu-onnxruntime-tensorrt',
  ep: 'tensorrt',
  displayName: 'TensorRT',
  priority: 90,
  platforms: ['linux-x64'],
  requiredLibraries: [...CUDA_LIBRARIES, 'libonnxruntime_providers_tensorrt.so'],
  cheapLook: nvidiaLook,
  epOptions: (deviceId) => ({ deviceId }),
  explain: (message) =>
    /nvinfer|Failed to load|cannot open shared object/i.test(message)
      ? `TensorRT could not load its libraries (${message}); install TensorRT 10 for CUDA 12 beside CUDA and cuDNN`
      : `TensorRT failed to start: ${message}`,
};

export const DIRECTML_PATH: OrtGpuPath = {
  id: 'gpu-onnxruntime-dml',
  ep: 'dml',
  displayName: 'DirectML',
  priority: 70,
  platforms: ['win32-x64', 'win32-arm64'],
  epOptions: (deviceId) => ({ deviceId }),
  explain: (message) => `DirectML found no usable DirectX 12 GPU (${message})`,
};

export const WEBGPU_PATH: OrtGpuPath = {
  id: 'gpu-onnxruntime-webgpu',
  ep: 'webgpu',
  displayName: 'WebGPU',
  priority: 40,
  platforms: ['linux-x64', 'win32-x64', 'darwin-arm64', 'darwin-x64'],
  cheapLook: (roots) => renderNodeLook(roots, 'WebGPU on Linux drives a GPU through Vulkan'),
  explain: (message) =>
    /adapter/i.test(message)
      ? `WebGPU could not get a GPU adapter (${message.replace(/^.*?(Failed to get a WebGPU adapter)/, '$1')}): no Vulkan/Metal/D3D12 driver exposes a GPU`
      : `WebGPU failed to start: ${message}`,
};

export const COREML_GPU_PATH: OrtGpuPath = {
  id: 'gpu-onnxruntime-coreml',
  ep: 'coreml',
  displayName: 'CoreML (GPU)',
  priority: 60,
  platforms: ['darwin-arm64'],
  cheapLook: appleGpuLook,
  // CPU and GPU only: the Neural Engine belongs to the NPU tier (@npu-first/backend-npu).
  epOptions: () => ({ useCPUAndGPU: true }),
};

/** Every ONNX Runtime GPU path, highest priority first. */
export const ORT_GPU_PATHS: readonly OrtGpuPath[] = [
  TENSORRT_PATH,
  CUDA_PATH,
  DIRECTML_PATH,
  COREML_GPU_PATH,
  WEBGPU_PATH,
];
