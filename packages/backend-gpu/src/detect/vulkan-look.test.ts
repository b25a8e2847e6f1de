import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { machineRoots } from './machine-roots.js';
import { vulkanLook } from './vulkan-look.js';

const fixture = (...parts: string[]) => join(import.meta.dirname, '__fixtures__', ...parts);
const h200 = {
  sysfs: fixture('nvidia-h200-headless', 'sys'),
  proc: fixture('nvidia-h200-headless', 'proc'),
  dev: fixture('nvidia-h200-headless', 'dev'),
  vulkanIcd: [fixture('nvidia-h200-headless', 'usr/share/vulkan/icd.d')],
};
/** A machine like this one and CI: no GPU, Mesa's Vulkan drivers (lavapipe, radeon) installed. */
const noGpu = {
  sysfs: '/nonexistent/sys',
  proc: '/nonexistent/proc',
  dev: '/nonexistent/dev',
  vulkanIcd: [fixture('mesa-icds')],
};
const look = (roots: Parameters<typeof machineRoots>[0], env = {}) =>
  vulkanLook(machineRoots(roots, {}), env);

describe.runIf(process.platform === 'linux')('the cheap look for the Vulkan paths', () => {
  it('refuses only when nothing could give Vulkan a GPU, listing what it checked and the fix', async () => {
    const result = await look(noGpu);
    expect(result.absent).toBe(
      'no GPU that Vulkan could reach: no DRM render node (/nonexistent/sys/class/drm), ' +
        'no NVIDIA kernel driver (/nonexistent/proc/driver/nvidia/version, /nonexistent/dev/nvidiactl), ' +
        `no Vulkan driver that finds a GPU without a render node (in ${fixture('mesa-icds')}: ` +
        "llvmpipe (Mesa lavapipe), a CPU rasteriser; Mesa's radeon, which need one), " +
        'and none named in VK_ICD_FILENAMES, VK_DRIVER_FILES or VK_ADD_DRIVER_FILES; ' +
        "fix: install the GPU's kernel and Vulkan drivers (NVIDIA: its driver with the Vulkan ICD; " +
        'AMD/Intel: amdgpu or i915 with mesa-vulkan-drivers) or pass the GPU into the container ' +
        '(--gpus all with NVIDIA_DRIVER_CAPABILITIES=all, or --device /dev/dri); ' +
        'NPU_FIRST_PROBE=engine asks the engine anyway',
    );
    expect((await look({ ...noGpu, vulkanIcd: ['/nonexistent/icd.d'] })).absent).toMatch(
      /no Vulkan driver manifest \(in \/nonexistent\/icd\.d\)/,
    );
  });

  it('does not refuse the H200 machine (NVIDIA driver and ICD, no render node), naming its GPU from the driver', async () => {
    const result = await look(h200);
    expect(result.absent).toBeUndefined();
    expect(result.renderNodes).toEqual([]);
    expect(result.devices).toEqual([
      {
        name: 'NVIDIA H200',
        vendor: 'NVIDIA',
        driver: 'nvidia 580.159.04',
        details: {
          bus: '0000:00:05.0',
          nameFrom: fixture(
            'nvidia-h200-headless',
            'proc/driver/nvidia/gpus/0000:00:05.0/information',
          ),
        },
      },
    ]);
  });

  it('does not refuse when any one of the four signs is there', async () => {
    // The NVIDIA kernel driver alone: a container passing /dev/nvidia* in, /proc hidden.
    expect((await look({ ...noGpu, dev: h200.dev })).absent).toBeUndefined();
    // NVIDIA's Vulkan driver alone.
    expect((await look({ ...noGpu, vulkanIcd: h200.vulkanIcd })).absent).toBeUndefined();
    // A driver named in the environment.
    expect((await look(noGpu, { VK_ICD_FILENAMES: '/opt/x_icd.json' })).overrides).toEqual([
      'VK_ICD_FILENAMES=/opt/x_icd.json',
    ]);
    expect((await look(noGpu, { VK_ADD_DRIVER_FILES: '/opt/x_icd.json' })).absent).toBeUndefined();
    // A render node (a VM's virtio GPU).
    const vm = await look({ ...noGpu, sysfs: fixture('virtio-gpu-vm', 'sys') });
    expect(vm.absent).toBeUndefined();
    expect(vm.devices).toEqual([
      {
        name: 'virtio (virtual GPU)',
        vendor: 'virtio (virtual GPU)',
        driver: 'virtio_gpu',
        details: {
          nameFrom: `PCI vendor 0x1af4 of ${fixture('virtio-gpu-vm', 'sys/class/drm/renderD128')}`,
        },
      },
    ]);
  });

  it('names an NVIDIA GPU from its driver, never from its render node', async () => {
    const rtx = await look({
      ...noGpu,
      sysfs: fixture('nvidia-rtx4090', 'sys'),
      proc: fixture('nvidia-rtx4090', 'proc'),
    });
    expect(rtx.renderNodes.map((n) => n.name)).toEqual(['renderD128']);
    expect(rtx.devices.map((d) => d.name)).toEqual(['NVIDIA GeForce RTX 4090']);
  });
});
