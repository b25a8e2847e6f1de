import { InvalidOptionError } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import plugin from './plugin.js';

const backends = await plugin.createBackends();
/** The option a check refuses, or `ok`. */
const verdict = (id: string, options: Record<string, unknown>) => {
  const backend = backends.find((b) => b.id === id);
  try {
    backend?.checkOptions?.(options);
    return 'ok';
  } catch (error) {
    return InvalidOptionError.isInstance(error) ? error.option : String(error);
  }
};

describe('GPU backends check their options without loading an engine', () => {
  it('gives every backend the plugin creates a checkOptions', () => {
    expect(backends.every((b) => typeof b.checkOptions === 'function')).toBe(true);
  });

  it.each([
    ['gpu-onnxruntime-cuda', { deviceId: 1, interOpThreads: 1 }, 'ok'],
    ['gpu-onnxruntime-cuda', { deviceId: -1 }, 'backendOptions.gpu-onnxruntime-cuda.deviceId'],
    ['gpu-onnxruntime-dml', { device: 0 }, 'backendOptions.gpu-onnxruntime-dml.device'],
    [
      'gpu-onnxruntime-webgpu',
      { executionMode: 'fast' },
      'backendOptions.gpu-onnxruntime-webgpu.executionMode',
    ],
    ['gpu-llamacpp-vulkan', { gpuLayers: 'auto' }, 'ok'],
    ['gpu-llamacpp-vulkan', { gpuLayers: -2 }, 'backendOptions.gpu-llamacpp-vulkan.gpuLayers'],
    ['gpu-llamacpp-cuda', { layers: 10 }, 'backendOptions.gpu-llamacpp-cuda.layers'],
  ])('%s %j → %s', (id, options, expected) => {
    expect(verdict(id, options)).toBe(expected);
  });

  it('names deviceId among the known keys of an ONNX Runtime GPU backend', () => {
    const error = (() => {
      try {
        backends.find((b) => b.id === 'gpu-onnxruntime-cuda')?.checkOptions?.({ devid: 0 });
      } catch (e) {
        return e as InvalidOptionError;
      }
    })();
    expect(error?.reason).toMatch(/^unknown option.* \(known: deviceId, interOpThreads, /);
  });
});
