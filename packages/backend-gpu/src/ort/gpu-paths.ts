import { appleGpuLook, nvidiaLook } from '../detect/cheap-looks.js';
import { vulkanLook } from '../detect/vulkan-look.js';
import type { OrtFailure, OrtGpuPath } from './ort-gpu-backend.js';

const CUDA_LIBRARIES = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'];

/** ONNX Runtime's error, with the library-loading line it logged before it, if any. */
function withLoadError({ message, output }: OrtFailure): string {
  const load = output.find((l) => /cannot open shared object|Failed to load library/i.test(l));
  return load && !message.includes(load) ? `${message} (${load})` : message;
}

/** The CUDA runtime itself (libcudart, cuDNN) is the usual missing piece once the EP libraries exist. */
function explainCuda(name: string) {
  return (failure: OrtFailure) => {
    const message = withLoadError(failure);
    return /Failed to load|cannot open shared object|libcu|cudnn/i.test(message)
      ? `${name} could not load the CUDA runtime (${message}); install CUDA 12 and cuDNN 9 and make them visible to the loader (LD_LIBRARY_PATH)`
      : `${name} failed to start: ${message}`;
  };
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
  explain: (failure) => {
    const message = withLoadError(failure);
    return /nvinfer|Failed to load|cannot open shared object/i.test(message)
      ? `TensorRT could not load its libraries (${message}); install TensorRT 10 for CUDA 12 beside CUDA and cuDNN`
      : `TensorRT failed to start: ${message}`;
  },
};

export const DIRECTML_PATH: OrtGpuPath = {
  id: 'gpu-onnxruntime-dml',
  ep: 'dml',
  displayName: 'DirectML',
  priority: 70,
  platforms: ['win32-x64', 'win32-arm64'],
  epOptions: (deviceId) => ({ deviceId }),
  explain: ({ message }) => `DirectML found no usable DirectX 12 GPU (${message})`,
};

/** Dawn runs on Vulkan on Linux, Metal on macOS and D3D12 on Windows. */
export const WEBGPU_PATH: OrtGpuPath = {
  id: 'gpu-onnxruntime-webgpu',
  ep: 'webgpu',
  displayName: 'WebGPU',
  priority: 40,
  platforms: ['linux-x64', 'win32-x64', 'darwin-arm64', 'darwin-x64'],
  cheapLook: vulkanLook,
  // Imported when needed: only a failed start reads it.
  explain: async (failure) => (await import('../vulkan/explain-webgpu.js')).explainWebGpu(failure),
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
