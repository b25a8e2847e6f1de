import type { BackendDescriptor } from '@npu-first/core';

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

/** A GPU path as a backend description, without its implementation imported. */
export function gpuDescriptor(path: PathIdentity, engine: keyof typeof ENGINES): BackendDescriptor {
  const { id, displayName, priority } = path;
  return {
    specificationVersion: 'v1',
    id,
    deviceKind: 'gpu',
    displayName,
    priority,
    ...ENGINES[engine],
  };
}
