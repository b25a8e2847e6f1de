import type { BackendDescriptor } from '@npu-first/core';
import { readLlamaGpuOptions } from './llama/llama-gpu-options.js';
import { readOrtGpuOptions } from './ort/ort-gpu-options.js';

/** The fields every GPU path's backend shares with its description. */
interface PathIdentity {
  readonly id: string;
  readonly displayName: string;
  readonly priority: number;
}

/** What each engine's GPU backends take and compute in. */
const ENGINES = {
  onnxruntime: { formats: ['onnx'], tasks: ['graph'], precision: 'fp32' },
  llamacpp: { formats: ['gguf'], tasks: ['text-generation'], precision: 'fp16' },
} as const satisfies Record<string, Pick<BackendDescriptor, 'formats' | 'tasks' | 'precision'>>;

/** Each engine's check of `backendOptions[id]`, the one its backends' `load()` applies. */
const OPTION_READERS = {
  onnxruntime: readOrtGpuOptions,
  llamacpp: readLlamaGpuOptions,
} as const;

/**
 * A GPU path as a backend description, without its implementation imported; its
 * `checkOptions` lets the runtime check options without loading an engine.
 */
export function gpuDescriptor(
  path: PathIdentity,
  engine: keyof typeof ENGINES,
): Extract<BackendDescriptor, { specificationVersion: 'v2' }> {
  const { id, displayName, priority } = path;
  const read = OPTION_READERS[engine];
  return {
    specificationVersion: 'v2',
    id,
    deviceKind: 'gpu',
    displayName,
    priority,
    ...ENGINES[engine],
    checkOptions: (options) => {
      read(id, options);
    },
  };
}
