import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRenderNodes } from './drm-render-nodes.js';
import { machineRoots } from './machine-roots.js';
import { detectNvidia } from './nvidia.js';
import { listVulkanIcds } from './vulkan-icds.js';

const fixture = (name: string) => join(import.meta.dirname, '__fixtures__', name);
const rootsOf = (name: string) =>
  machineRoots(
    { sysfs: join(fixture(name), 'sys'), proc: join(fixture(name), 'proc'), vulkanIcd: [] },
    {},
  );

describe('GPU detection on fixture machines', () => {
  it('reads the NVIDIA driver version and GPU model from /proc', async () => {
    const nvidia = await detectNvidia(rootsOf('nvidia-rtx4090'), false);
    expect(nvidia.driverVersion).toBe('550.54.14');
    expect(nvidia.gpus).toEqual([
      {
        name: 'NVIDIA GeForce RTX 4090',
        details: { bus: '0000:01:00.0' },
        vendor: 'NVIDIA',
        driver: 'nvidia 550.54.14',
      },
    ]);
    expect(nvidia.absentBecause).toBeUndefined();
  });

  it('says where it looked when there is no NVIDIA driver', async () => {
    const nvidia = await detectNvidia(rootsOf('virtio-gpu-vm'), false);
    expect(nvidia.gpus).toEqual([]);
    expect(nvidia.absentBecause).toMatch(
      /no NVIDIA kernel driver \(.*virtio-gpu-vm\/proc\/driver\/nvidia\/version does not exist\)/,
    );
  });

  it('lists DRM render nodes with vendor and driver', async () => {
    expect(await listRenderNodes(rootsOf('nvidia-rtx4090'))).toEqual([
      { name: 'renderD128', vendorId: '0x10de', vendor: 'NVIDIA', driver: 'nvidia' },
    ]);
    expect(await listRenderNodes(rootsOf('virtio-gpu-vm'))).toEqual([
      {
        name: 'renderD128',
        vendorId: '0x1af4',
        vendor: 'virtio (virtual GPU)',
        driver: 'virtio_gpu',
      },
    ]);
    expect(await listRenderNodes(machineRoots({ sysfs: '/nonexistent' }, {}))).toEqual([]);
  });

  it('tells software Vulkan drivers from hardware ones', async () => {
    const icds = await listVulkanIcds(machineRoots({ vulkanIcd: [fixture('mesa-icds')] }, {}));
    expect(icds).toEqual({ software: ['llvmpipe (Mesa lavapipe)'], hardware: ['radeon'] });
  });

  it('takes its roots from the environment', () => {
    expect(
      machineRoots({}, { NPU_FIRST_SYSFS_ROOT: '/fx/sys', NPU_FIRST_PROC_ROOT: '/fx/proc' }),
    ).toMatchObject({
      sysfs: '/fx/sys',
      proc: '/fx/proc',
      dev: '/dev',
    });
  });
});
