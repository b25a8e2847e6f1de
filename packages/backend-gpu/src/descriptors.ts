import type { BackendDescriptor } from '@npu-first/core';

/** The fields every GPU path's backend shares with its description. */
interface PathIdentity {
  readonly id: string;
  readonly displayName: string;
  readonly priority: number;
}

/** An ONNX Runtime GPU path as a backend description (no implementation imported). */
export function ortGpuDescriptor(path: PathIdentity): BackendDescriptor {
  const { id, displayName, priority } = path;
  return {
    specificationVersion: 'v1',
    id,
    deviceKind: 'gpu',
    displayName,
    priority,
    formats: ['onnx'],
    tasks: ['graph'],
    precision: 'fp32',
  };
}

/** A llama.cpp GPU build as a backend description. */
export function llamaGpuDescriptor(path: PathIdentity): BackendDescriptor {
  const { id, displayName, priority } = path;
  return {
    specificationVersion: 'v1',
    id,
    deviceKind: 'gpu',
    displayName,
    priority,
    formats: ['gguf'],
    tasks: ['text-generation'],
    precision: 'fp16',
  };
}
