import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { machineRoots } from '../detect/machine-roots.js';
import { vulkanLook } from '../detect/vulkan-look.js';
import { relevantLines } from '../engine-probe/engine-output.js';
import { diagnoseVulkan } from './diagnose-vulkan.js';

const detectFixture = (...parts: string[]) =>
  join(import.meta.dirname, '..', 'detect', '__fixtures__', ...parts);
const recorded = (name: string) =>
  relevantLines(readFileSync(join(import.meta.dirname, '__fixtures__', name), 'utf8'));

const h200Roots = {
  sysfs: detectFixture('nvidia-h200-headless', 'sys'),
  proc: detectFixture('nvidia-h200-headless', 'proc'),
  dev: detectFixture('nvidia-h200-headless', 'dev'),
  vulkanIcd: [detectFixture('nvidia-h200-headless', 'usr/share/vulkan/icd.d')],
};
const h200Icd = detectFixture('nvidia-h200-headless', 'usr/share/vulkan/icd.d/nvidia_icd.json');
const lookAt = (roots: typeof h200Roots) => vulkanLook(machineRoots(roots, {}), {});
const diagnose = async (
  output: string[],
  roots = h200Roots,
  runtimeLibrary?: { name: string; error?: string },
) =>
  diagnoseVulkan({
    output,
    look: await lookAt(roots),
    env: {},
    ...(runtimeLibrary ? { runtimeLibrary } : {}),
  });

describe.runIf(process.platform === 'linux')('why Vulkan found no GPU', () => {
  it("the H200 machine before its Vulkan loader was installed: Dawn's words, or the dynamic loader's", async () => {
    const fromDawn = await diagnose(recorded('webgpu-no-vulkan-loader.stderr.txt'));
    expect(fromDawn?.problem).toMatch(
      /^the Vulkan loader libvulkan\.so\.1 is not installed \(libvulkan\.so\.1: cannot open shared object file: No such file or directory; /,
    );
    expect(fromDawn?.fix).toBe(
      `install it (Debian/Ubuntu: apt install libvulkan1; Fedora/RHEL: dnf install vulkan-loader; Arch: pacman -S vulkan-icd-loader); the NVIDIA Vulkan driver (${h200Icd}) is installed and needs it`,
    );
    // llama.cpp only says NoBinaryFoundError; the probe process then loads libvulkan.so.1 itself.
    const fromDlopen = await diagnose([], h200Roots, {
      name: 'libvulkan.so.1',
      error: 'libvulkan.so.1: cannot open shared object file: No such file or directory',
    });
    expect(fromDlopen?.fix).toBe(fromDawn?.fix);
  });

  it("an NVIDIA ICD whose library does not load: the loader's words and the package to install", async () => {
    expect(await diagnose(recorded('webgpu-nvidia-icd-unloadable.stderr.txt'))).toEqual({
      problem:
        'the NVIDIA Vulkan ICD is installed but the Vulkan loader cannot load its library libGLX_nvidia.so.0 (libGLX_nvidia.so.0: cannot open shared object file: No such file or directory)',
      fix: 'install the graphics part of the NVIDIA driver 580.159.04 (Debian/Ubuntu: libnvidia-gl-580); in a container set NVIDIA_DRIVER_CAPABILITIES=all (or include graphics) so that the NVIDIA Container Toolkit mounts it',
    });
    // The H200's other missing piece, libglvnd, in the loader's recorded format (reconstructed).
    const glvnd = await diagnose([
      'ERROR: libGLdispatch.so.0: cannot open shared object file: No such file or directory',
      'ERROR: loader_icd_scan: Failed loading library associated with ICD JSON libGLX_nvidia.so.0. Ignoring this JSON',
    ]);
    expect(glvnd?.fix).toContain('libnvidia-gl-580 with libglvnd (libglvnd0)');
  });

  it('the NVIDIA driver and ICD, but no device and no error: what to check', async () => {
    expect(await diagnose([])).toEqual({
      problem: `the NVIDIA Vulkan ICD is installed (${h200Icd}) but Vulkan lists no NVIDIA device`,
      fix: `check that this user can open ${h200Roots.dev}/nvidiactl and ${h200Roots.dev}/nvidia0, and that libGLX_nvidia.so.0 belongs to the same driver release as the kernel module 580.159.04 (nvidia-smi must work); in a container set NVIDIA_DRIVER_CAPABILITIES=all`,
    });
    const noIcd = await diagnose([], { ...h200Roots, vulkanIcd: [detectFixture('mesa-icds')] });
    expect(noIcd?.problem).toBe(
      `the NVIDIA kernel driver 580.159.04 is loaded but its Vulkan driver is not installed (no nvidia_icd.json in ${detectFixture('mesa-icds')})`,
    );
  });

  it('only a CPU rasteriser: this machine, as Dawn saw it', async () => {
    const noGpu = {
      sysfs: '/nonexistent',
      proc: '/nonexistent',
      dev: '/nonexistent',
      vulkanIcd: [detectFixture('mesa-icds')],
    };
    expect(await diagnose(recorded('webgpu-llvmpipe-only.stderr.txt'), noGpu)).toEqual({
      problem:
        'the only Vulkan driver that can run here is llvmpipe (Mesa lavapipe), a CPU rasteriser',
      fix: "install the GPU's Vulkan driver (NVIDIA: the driver's Vulkan ICD; AMD/Intel: mesa-vulkan-drivers with a DRM render node)",
    });
  });
});
