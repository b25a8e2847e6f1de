import type { BackendDescriptor } from '@npu-first/core';
import { readSessionSettings } from '@npu-first/onnxruntime';
import { checkCpuLlamaOptions } from './cpu-llama-options.js';

export const CPU_ONNX_BACKEND_ID = 'cpu-onnxruntime';
export const CPU_LLAMA_BACKEND_ID = 'cpu-llamacpp';

/**
 * What the CPU backends are, without their implementations (for the lazy plugin entry). Their
 * option checkers are here, so the runtime checks options without importing an engine.
 */
export const CPU_ONNX_DESCRIPTOR: BackendDescriptor = {
  specificationVersion: 'v2',
  id: CPU_ONNX_BACKEND_ID,
  deviceKind: 'cpu',
  displayName: 'ONNX Runtime (CPU)',
  priority: 0,
  formats: ['onnx'],
  tasks: ['graph'],
  precision: 'fp32',
  checkOptions: (options) => {
    readSessionSettings(CPU_ONNX_BACKEND_ID, options);
  },
};

export const CPU_LLAMA_DESCRIPTOR: BackendDescriptor = {
  specificationVersion: 'v2',
  id: CPU_LLAMA_BACKEND_ID,
  deviceKind: 'cpu',
  displayName: 'llama.cpp (CPU)',
  priority: 0,
  formats: ['gguf'],
  tasks: ['text-generation'],
  precision: 'fp32',
  checkOptions: (options) => checkCpuLlamaOptions(CPU_LLAMA_BACKEND_ID, options),
};
