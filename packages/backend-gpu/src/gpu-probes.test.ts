import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { machineRoots } from './detect/machine-roots.js';
import { vulkanLook } from './detect/vulkan-look.js';
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
 * and exactly why. Fixture machine roots (driver files recorded from real machines, among them
 * the headless H200 server) stand for hardware this machine lacks; the engines that answer are
 * the real node-llama-cpp and onnxruntime-node, asked in their probe process.
 */
const fixture = (...parts: string[]) =>
  join(import.meta.dirname, 'detect', '__fixtures__', ...parts);
const rtx = { sysfs: fixture('nvidia-rtx4090', 'sys'), proc: fixture('nvidia-rtx4090', 'proc') };
const h200 = {
  sysfs: fixture('nvidia-h200-headless', 'sys'),
  proc: fixture('nvidia-h200-headless', 'proc'),
  dev: fixture('nvidia-h200-headless', 'dev'),
  vulkanIcd: [fixture('nvidia-h200-headless', 'usr/share/vulkan/icd.d')],
};
const h200Icd = fixture('nvidia-h200-headless', 'usr/share/vulkan/icd.d/nvidia_icd.json');
/** The H200's NVIDIA ICD handed to this machine's real Vulkan loader, which cannot load it. */
const withH200Icd = { ...process.env, VK_ADD_DRIVER_FILES: h200Icd };
const askingTheEngine = { ...process.env, NPU_FIRST_PROBE: 'engine' };
/**
 * CI runs every package's tests at once on two cores, where a probe process has taken longer
 * than the default 7 s to start an engine: these tests are about what the engine answers.
 */
const patient = { engineTimeoutMs: 45_000 };

const hasVulkanLoader = (() => {
  try {
    return execFileSync('ldconfig', ['-p'], { encoding: 'utf8' }).includes('libvulkan.so.1');
  } catch {
    return false;
  }
})();
const linuxX64 = process.platform === 'linux' && process.arch === 'x64';
/** This machine as CI sets it up: no GPU, at most Mesa's Vulkan drivers (lavapipe among them). */
const noGpuHere = linuxX64 && (await vulkanLook(machineRoots())).absent !== undefined;
const lavapipeHere = existsSync('/usr/share/vulkan/icd.d/lvp_icd.x86_64.json');

describe.runIf(linuxX64)('ONNX Runtime GPU paths on a machine without a GPU', () => {
  it('CUDA and TensorRT: no NVIDIA driver', async () => {
    for (const path of [CUDA_PATH, TENSORRT_PATH]) {
      const roots = { proc: '/nonexistent', dev: '/nonexistent' };
      const probe = await createOrtGpuBackend(path, { ...patient, roots }).probe();
      expect(probe).toEqual({
        available: false,
        devices: [],
        reason:
          'no NVIDIA GPU: no NVIDIA kernel driver (/nonexistent/driver/nvidia/version does not exist, and no /nonexistent/nvidiactl with /nonexistent/nvidia<N>)',
      });
    }
  });

  it('CUDA on a machine with an NVIDIA GPU but without the provider libraries says how to add them', async () => {
    const probe = await createOrtGpuBackend(CUDA_PATH, { ...patient, roots: rtx }).probe();
    expect(probe.available).toBe(false);
    expect(probe.devices[0]?.name).toBe('NVIDIA GeForce RTX 4090');
    expect(probe.reason).toMatch(
      /^CUDA execution provider libraries are not installed \(libonnxruntime_providers_shared\.so, libonnxruntime_providers_cuda\.so missing\): run `node .*onnxruntime-node\/script\/install\.js --onnxruntime-node-install=cuda12`/,
    );
    const trt = await createOrtGpuBackend(TENSORRT_PATH, { ...patient, roots: rtx }).probe();
    expect(trt.reason).toContain('libonnxruntime_providers_tensorrt.so');
  });

  it('CUDA in a container that hides /proc/driver/nvidia but passes /dev/nvidia* in: past the look', async () => {
    const roots = { proc: '/nonexistent', dev: h200.dev };
    const probe = await createOrtGpuBackend(CUDA_PATH, { ...patient, roots }).probe();
    expect(probe.reason).toMatch(/^CUDA execution provider libraries are not installed/);
    expect(probe.devices).toEqual([
      {
        name: 'NVIDIA GPU 0',
        vendor: 'NVIDIA',
        driver: 'nvidia',
        details: { nameFrom: join(h200.dev, 'nvidia0') },
      },
    ]);
  });

  it.runIf(noGpuHere)('WebGPU here: the look refuses without starting the engine', async () => {
    const probe = await createOrtGpuBackend(WEBGPU_PATH, patient).probe();
    expect(probe.available).toBe(false);
    expect(probe.engine).toBeUndefined();
    expect(probe.reason).toMatch(/^no GPU that Vulkan could reach: no DRM render node/);
  });

  it.runIf(noGpuHere && hasVulkanLoader)(
    'WebGPU here with NPU_FIRST_PROBE=engine: ONNX Runtime, asked, confirms the refusal',
    async () => {
      const probe = await createOrtGpuBackend(WEBGPU_PATH, {
        ...patient,
        env: askingTheEngine,
      }).probe();
      expect(probe).toMatchObject({ available: false, engine: 'onnxruntime-node 1.30.0 (webgpu)' });
      expect(probe.reason).toMatch(
        /^WebGPU could not get a GPU adapter \(ONNX Runtime: Failed to get a WebGPU adapter: No supported adapters/,
      );
      expect(probe.reason).toMatch(
        /; the engine confirms the look at the machine \(no GPU that Vulkan could reach\)$/,
      );
      if (lavapipeHere) {
        // What Dawn says here: it passed over lavapipe's Vulkan device for a missing feature.
        expect(probe.reason).toContain(
          'Warning: Vulkan shaderUniform*ArrayDynamicIndexing required. (While initializing adapter (backend=BackendType::Vulkan))',
        );
        expect(probe.reason).toContain(
          'the only Vulkan driver that can run here is llvmpipe (Mesa lavapipe), a CPU rasteriser',
        );
      }
    },
  );

  it('WebGPU on the H200 fixture (NVIDIA driver and ICD, no render node): the engine is asked and decides', async () => {
    const probe = await createOrtGpuBackend(WEBGPU_PATH, { ...patient, roots: h200 }).probe();
    expect(probe.available).toBe(false);
    expect(probe.engine).toBe('onnxruntime-node 1.30.0 (webgpu)');
    expect(probe.reason).toMatch(/^WebGPU could not get a GPU adapter \(ONNX Runtime: /);
    expect(probe.reason).not.toMatch(/render node/);
    expect(probe.reason).toContain(
      hasVulkanLoader
        ? `the NVIDIA Vulkan ICD is installed (${h200Icd}) but Vulkan lists no NVIDIA device`
        : 'the Vulkan loader libvulkan.so.1 is not installed',
    );
    // Named by the NVIDIA driver, which says where: ONNX Runtime does not name its adapter.
    expect(probe.devices.map((d) => [d.name, d.details?.nameFrom])).toEqual([
      [
        'NVIDIA H200',
        fixture('nvidia-h200-headless', 'proc/driver/nvidia/gpus/0000:00:05.0/information'),
      ],
    ]);
  });

  it.runIf(hasVulkanLoader)(
    "WebGPU with the H200's NVIDIA ICD given to the real Vulkan loader: its library does not load here",
    async () => {
      const probe = await createOrtGpuBackend(WEBGPU_PATH, {
        ...patient,
        roots: h200,
        env: withH200Icd,
      }).probe();
      expect(probe.reason).toContain(
        'the NVIDIA Vulkan ICD is installed but the Vulkan loader cannot load its library libGLX_nvidia.so.0 (libGLX_nvidia.so.0: cannot open shared object file: No such file or directory); fix: install the graphics part of the NVIDIA driver 580.159.04 (Debian/Ubuntu: libnvidia-gl-580)',
      );
    },
  );

  it('DirectML and CoreML: not this platform; on theirs the engine build is checked', async () => {
    expect((await createOrtGpuBackend(DIRECTML_PATH, patient).probe()).reason).toBe(
      'onnxruntime-node has the DirectML provider on Windows x64, Windows arm64 only; this is Linux x64',
    );
    expect((await createOrtGpuBackend(COREML_GPU_PATH, patient).probe()).reason).toContain(
      'macOS arm64 only',
    );
    // Pretending to be Windows: this (Linux) onnxruntime-node build has no DirectML provider.
    const asWindows = await createOrtGpuBackend(DIRECTML_PATH, {
      ...patient,
      platform: 'win32-x64',
    }).probe();
    expect(asWindows).toMatchObject({
      reason: 'this onnxruntime-node build has no dml execution provider',
      engine: 'onnxruntime-node 1.30.0 (dml)',
    });
  });
});

describe.runIf(linuxX64)('llama.cpp GPU builds on a machine without a GPU', () => {
  it('Metal: not this platform; CUDA: no NVIDIA driver', async () => {
    expect((await createLlamaGpuBackend(LLAMA_METAL_PATH, patient).probe()).reason).toContain(
      'macOS arm64',
    );
    const roots = { proc: '/nonexistent', dev: '/nonexistent' };
    expect(
      (await createLlamaGpuBackend(LLAMA_CUDA_PATH, { ...patient, roots }).probe()).reason,
    ).toMatch(/^no NVIDIA GPU: no NVIDIA kernel driver/);
  });

  it('CUDA with an NVIDIA driver fixture: the real node-llama-cpp cannot load its CUDA build, and the loader says why', async () => {
    const probe = await createLlamaGpuBackend(LLAMA_CUDA_PATH, { ...patient, roots: rtx }).probe();
    expect(probe).toMatchObject({ available: false, engine: 'node-llama-cpp 3.22.1 (cuda)' });
    expect(probe.devices.map((d) => d.name)).toEqual(['NVIDIA GeForce RTX 4090']);
    expect(probe.reason).toBe(
      "node-llama-cpp has no prebuilt llama.cpp CUDA build that loads here: the NVIDIA driver's CUDA library libcuda.so.1 cannot be loaded (libcuda.so.1: cannot open shared object file: No such file or directory); fix: install the NVIDIA driver's compute libraries, or in a container run with --gpus all and NVIDIA_DRIVER_CAPABILITIES including compute",
    );
  });

  it.runIf(noGpuHere)('Vulkan here: the look refuses without starting the engine', async () => {
    const probe = await createLlamaGpuBackend(LLAMA_VULKAN_PATH, patient).probe();
    expect(probe.engine).toBeUndefined();
    expect(probe.reason).toMatch(/^no GPU that Vulkan could reach: no DRM render node/);
  });

  it.runIf(noGpuHere)(
    'Vulkan here with NPU_FIRST_PROBE=engine: llama.cpp, asked, confirms the refusal',
    async () => {
      const probe = await createLlamaGpuBackend(LLAMA_VULKAN_PATH, {
        ...patient,
        env: askingTheEngine,
      }).probe();
      expect(probe).toMatchObject({ available: false, engine: 'node-llama-cpp 3.22.1 (vulkan)' });
      expect(probe.reason).toMatch(
        hasVulkanLoader
          ? /^vulkan reports 0 GPU devices and 0 bytes of VRAM: not a GPU \(llama\.cpp: "ggml_vulkan: No devices found\."\)/
          : /^node-llama-cpp has no prebuilt llama\.cpp Vulkan build that loads here: the Vulkan loader libvulkan\.so\.1 is not installed/,
      );
      if (hasVulkanLoader && lavapipeHere) {
        expect(probe.reason).toContain(
          '; the only Vulkan driver that can run here is llvmpipe (Mesa lavapipe), a CPU rasteriser',
        );
      }
      expect(probe.reason).toMatch(
        /; the engine confirms the look at the machine \(no GPU that Vulkan could reach\)$/,
      );
    },
  );

  it('Vulkan on the H200 fixture: the engine is asked and decides; the GPU keeps its driver name', async () => {
    const probe = await createLlamaGpuBackend(LLAMA_VULKAN_PATH, {
      ...patient,
      roots: h200,
    }).probe();
    expect(probe).toMatchObject({ available: false, engine: 'node-llama-cpp 3.22.1 (vulkan)' });
    expect(probe.reason).not.toMatch(/render node/);
    expect(probe.reason).toMatch(
      hasVulkanLoader
        ? /^vulkan reports 0 GPU devices and 0 bytes of VRAM: not a GPU .*; the NVIDIA Vulkan ICD is installed \(.*\) but Vulkan lists no NVIDIA device; fix: /
        : /^node-llama-cpp has no prebuilt llama\.cpp Vulkan build that loads here: the Vulkan loader libvulkan\.so\.1 is not installed/,
    );
    expect(probe.devices.map((d) => [d.name, d.driver])).toEqual([
      ['NVIDIA H200', 'nvidia 580.159.04'],
    ]);
  });

  it.runIf(hasVulkanLoader)(
    "Vulkan with the H200's NVIDIA ICD given to the real Vulkan loader: its library does not load here",
    async () => {
      const probe = await createLlamaGpuBackend(LLAMA_VULKAN_PATH, {
        ...patient,
        roots: h200,
        env: withH200Icd,
      }).probe();
      expect(probe.reason).toContain(
        '; the NVIDIA Vulkan ICD is installed but the Vulkan loader cannot load its library libGLX_nvidia.so.0 (libGLX_nvidia.so.0: cannot open shared object file: No such file or directory)',
      );
    },
  );
});
