import type { BackendDescriptor } from '@npu-first/core';
import { readNpuOrtOptions, readOpenVinoOptions } from './options/npu-options.js';

export const COREML_NPU_BACKEND_ID = 'npu-coreml';
export const OPENVINO_NPU_BACKEND_ID = 'npu-openvino';

/**
 * What the NPU backends are, without their implementations (for the lazy plugin entry). Their
 * option checkers are here, so the runtime checks options without importing an engine.
 */
export const COREML_NPU_DESCRIPTOR: BackendDescriptor = {
  specificationVersion: 'v2',
  id: COREML_NPU_BACKEND_ID,
  deviceKind: 'npu',
  displayName: 'Apple Neural Engine (ONNX Runtime CoreML)',
  priority: 0,
  formats: ['onnx'],
  tasks: ['graph'],
  precision: 'fp16',
  checkOptions: (options) => {
    readNpuOrtOptions(COREML_NPU_BACKEND_ID, options);
  },
};

export const OPENVINO_NPU_DESCRIPTOR: BackendDescriptor = {
  specificationVersion: 'v2',
  id: OPENVINO_NPU_BACKEND_ID,
  deviceKind: 'npu',
  displayName: 'Intel NPU (OpenVINO)',
  priority: 0,
  formats: ['onnx'],
  tasks: ['graph'],
  precision: 'fp16',
  checkOptions: (options) => {
    readOpenVinoOptions(OPENVINO_NPU_BACKEND_ID, options);
  },
};
