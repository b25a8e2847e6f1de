import { describe, expect, it } from 'vitest';
import type { LoadOptions } from '../runtime/load-options.js';

/**
 * `backendOptions` is typed per known backend: these lines are checked by the type-checker (the
 * package's typecheck covers test files); each `@ts-expect-error` fails the build if the line
 * it marks starts compiling.
 */
describe('typed backendOptions', () => {
  it('accepts known options and refuses typos and unknown backends at compile time', () => {
    const ok: LoadOptions = {
      backendOptions: {
        'cpu-onnxruntime': { interOpThreads: 1, executionMode: 'sequential' },
        'gpu-onnxruntime-cuda': { deviceId: 0 },
        'gpu-llamacpp-vulkan': { gpuLayers: 'max' },
        'npu-coreml': { shapes: { batch: 1 }, minNpuCoverage: 0.8 },
      },
    };
    // @ts-expect-error a typo of interOpThreads
    const typo: LoadOptions = { backendOptions: { 'cpu-onnxruntime': { interOpThread: 2 } } };
    // @ts-expect-error a value of the wrong type
    const value: LoadOptions = { backendOptions: { 'gpu-llamacpp-cuda': { gpuLayers: 'all' } } };
    // @ts-expect-error a backend no package declares
    const unknown: LoadOptions = { backendOptions: { 'cpu-onnxruntim': {} } };
    expect([ok, typo, value, unknown]).toHaveLength(4);
  });
});
