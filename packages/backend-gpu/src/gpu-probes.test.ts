import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLlamaGpuBackend } from './llama/llama-gpu-backend.js';
import { LLAMA_CUDA_PATH, LLAMA_METAL_PATH, LLAMA_VULKAN_PATH } from './llama/llama-gpu-paths.js';
import {
  COREML_GPU_PATH,
  CUDA_PATH,
  DIRECTML_PATH,
  TENSORRT_PATH,
  WEBGPU_PATH,
} from './ort/gpu-paths.js';
import { createOrtGpuBackend } from './ort/ort-gpu-backend.js';

/**
 * Every GPU path probed on this machine — no GPU — for real: each must say it is unavailable
 * and exactly why. Fixture machine roots (recorded driver files and sysfs trees) get the
 * probes past their cheap look, so the engine-level checks run for real too.
 */
const fixture = (name: string) => join(import.meta.dirname, 'detect', '__fixtures__', name);
const rtx = {
  sysfs: join(fixture('nvidia-rtx4090'), 'sys'),
  proc: join(fixture('nvidia-rtx4090'), 'proc'),
};
const virtio = {
  sysfs: join(fixture('virtio-gpu-vm'), 'sys'),
  proc: join(fixture('virtio-gpu-vm'), 'proc'),
};
const hasVulkanLoader = (() => {
  try {
    return execFileSync('ldconfig', ['-p'], { encoding: 'utf8' }).includes('libvulkan.so.1');
  } catch {
    return false;
  }
})();

const linuxX64 = process.platform === 'linux' && process.arch === 'x64';

describe.runIf(linuxX64)('ONNX Runtime GPU paths on a machine without a GPU', () => {
  it('CUDA and TensorRT: no NVIDIA driver', async () => {
    for (const path of [CUDA_PATH, TENSORRT_PATH]) {
      const probe = await createOrtGpuBackend(path, { roots: { proc: '/nonexistent' } }).probe();
      expect(probe).toMatchObject({
        available: false,
        reason:
          'no NVIDIA GPU: no NVIDIA kernel driver (/nonexistent/driver/nvidia/version does not exist)',
      });
    }
  });

  it('CUDA on a machine with an NVIDIA GPU but without the provider libraries says how to add them', async () => {
    const probe = await createOrtGpuBackend(CUDA_PATH, { roots: rtx }).probe();
    expect(probe.available).toBe(false);
    expect(probe.devices[0]?.name).toBe('NVIDIA GeForce RTX 4090');
    expect(probe.reason).toMatch(
      /^CUDA execution provider libraries are not installed \(libonnxruntime_providers_shared\.so, libonnxruntime_providers_cuda\.so missing\): run `node .*onnxruntime-node\/script\/install\.js --onnxruntime-node-install=cuda12`/,
    );
    const trt = await createOrtGpuBackend(TENSORRT_PATH, { roots: rtx }).probe();
    expect(trt.reason).toContain('libonnxruntime_providers_tensorrt.so');
  });

  it('WebGPU: no render node, and with one (a VM fixture) the real engine finds no adapter', async () => {
    const none = await createOrtGpuBackend(WEBGPU_PATH, {
      roots: { sysfs: '/nonexistent' },
    }).probe();
    expect(none.reason).toBe(
      'no GPU: no DRM render node under /nonexistent/class/drm (WebGPU on Linux drives a GPU through Vulkan)',
    );
    const vm = await createOrtGpuBackend(WEBGPU_PATH, { roots: virtio }).probe();
    expect(vm.available).toBe(false);
    expect(vm.reason).toMatch(
      /^WebGPU could not get a GPU adapter \(Failed to get a WebGPU adapter/,
    );
  });

  it('DirectML and CoreML: not this platform; on theirs the engine build is checked', async () => {
    expect((await createOrtGpuBackend(DIRECTML_PATH).probe()).reason).toBe(
      'onnxruntime-node has the DirectML provider on Windows x64, Windows arm64 only; this is Linux x64',
    );
    expect((await createOrtGpuBackend(COREML_GPU_PATH).probe()).reason).toContain(
      'macOS arm64 only',
    );
    // Pretending to be Windows: this (Linux) onnxruntime-node build has no DirectML provider.
    const asWindows = await createOrtGpuBackend(DIRECTML_PATH, { platform: 'win32-x64' }).probe();
    expect(asWindows.reason).toBe('this onnxruntime-node build has no dml execution provider');
  });
});

describe.runIf(linuxX64)('llama.cpp GPU builds on a machine without a GPU', () => {
  it('Metal: not this platform; CUDA: no NVIDIA driver', async () => {
    expect((await createLlamaGpuBackend(LLAMA_METAL_PATH).probe()).reason).toContain('macOS arm64');
    expect(
      (await createLlamaGpuBackend(LLAMA_CUDA_PATH, { roots: { proc: '/nonexistent' } }).probe())
        .reason,
    ).toMatch(/^no NVIDIA GPU/);
  });

  it('CUDA with an NVIDIA driver fixture: the real node-llama-cpp has no CUDA build that loads here', async () => {
    const probe = await createLlamaGpuBackend(LLAMA_CUDA_PATH, { roots: rtx }).probe();
    expect(probe.available).toBe(false);
    expect(probe.reason).toMatch(
      /^node-llama-cpp has no prebuilt llama\.cpp CUDA build that loads here/,
    );
  });

  it('Vulkan: no render node here', async () => {
    const probe = await createLlamaGpuBackend(LLAMA_VULKAN_PATH, {
      roots: { sysfs: '/nonexistent' },
    }).probe();
    expect(probe.reason).toMatch(/^no GPU: no DRM render node under \/nonexistent\/class\/drm/);
  });

  it.runIf(hasVulkanLoader)(
    'Vulkan with Mesa installed: llvmpipe is recognised and refused as a GPU',
    async () => {
      // Past the cheap look (a VM render node), the real vulkan build loads and reports
      // gpu === 'vulkan' with zero devices and zero VRAM: only llvmpipe is there.
      const probe = await createLlamaGpuBackend(LLAMA_VULKAN_PATH, { roots: virtio }).probe();
      expect(probe.available).toBe(false);
      expect(probe.reason).toMatch(
        /^vulkan reports 0 GPU devices and 0 bytes of VRAM: not a GPU; .*llvmpipe/,
      );
    },
  );

  it.runIf(!hasVulkanLoader)(
    'Vulkan without a Vulkan loader: the vulkan build cannot load',
    async () => {
      const probe = await createLlamaGpuBackend(LLAMA_VULKAN_PATH, { roots: virtio }).probe();
      expect(probe.reason).toMatch(
        /^node-llama-cpp has no prebuilt llama\.cpp Vulkan build that loads here \(needs the Vulkan loader/,
      );
    },
  );
});
