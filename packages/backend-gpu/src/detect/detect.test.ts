import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRenderNodes } from './drm-render-nodes.js';
import { machineRoots, vulkanIcdDirs } from './machine-roots.js';
import { detectNvidia } from './nvidia.js';
import { listVulkanIcds, vulkanDriverOverrides } from './vulkan-icds.js';

const fixture = (name: string) => join(import.meta.dirname, '__fixtures__', name);
const rootsOf = (name: string) =>
  machineRoots(
    {
      sysfs: join(fixture(name), 'sys'),
      proc: join(fixture(name), 'proc'),
      dev: join(fixture(name), 'dev'),
      vulkanIcd: [],
    },
    {},
  );

describe('GPU detection on fixture machines', () => {
  it('reads the NVIDIA driver version and GPU model from /proc, saying where the name came from', async () => {
    const nvidia = await detectNvidia(rootsOf('nvidia-rtx4090'), false);
    expect(nvidia.driverVersion).toBe('550.54.14');
    expect(nvidia.gpus).toEqual([
      {
        name: 'NVIDIA GeForce RTX 4090',
        details: {
          bus: '0000:01:00.0',
          nameFrom: join(
            fixture('nvidia-rtx4090'),
            'proc/driver/nvidia/gpus/0000:01:00.0/information',
          ),
        },
        vendor: 'NVIDIA',
        driver: 'nvidia 550.54.14',
      },
    ]);
    expect(nvidia.absentBecause).toBeUndefined();
  });

  it("reads the H200 machine's open kernel module release", async () => {
    const nvidia = await detectNvidia(rootsOf('nvidia-h200-headless'), false);
    expect(nvidia.driverVersion).toBe('580.159.04');
    expect(nvidia.gpus.map((g) => [g.name, g.driver])).toEqual([
      ['NVIDIA H200', 'nvidia 580.159.04'],
    ]);
  });

  it('counts /dev/nvidiactl with /dev/nvidia<N> as the driver when a container hides /proc/driver/nvidia', async () => {
    const h200 = fixture('nvidia-h200-headless');
    const roots = machineRoots({ proc: '/nonexistent', dev: join(h200, 'dev') }, {});
    const nvidia = await detectNvidia(roots, false);
    expect(nvidia.absentBecause).toBeUndefined();
    expect(nvidia.seenAt).toBe(join(h200, 'dev', 'nvidiactl'));
    expect(nvidia.gpus).toEqual([
      {
        name: 'NVIDIA GPU 0',
        details: { nameFrom: join(h200, 'dev', 'nvidia0') },
        vendor: 'NVIDIA',
        driver: 'nvidia',
      },
    ]);
  });

  it('says where it looked when there is no NVIDIA driver', async () => {
    const nvidia = await detectNvidia(rootsOf('virtio-gpu-vm'), false);
    expect(nvidia.gpus).toEqual([]);
    expect(nvidia.absentBecause).toMatch(
      /no NVIDIA kernel driver \(.*virtio-gpu-vm\/proc\/driver\/nvidia\/version does not exist, and no .*virtio-gpu-vm\/dev\/nvidiactl with .*\/nvidia<N>\)/,
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
    expect(await listRenderNodes(rootsOf('nvidia-h200-headless'))).toEqual([]);
  });

  it('tells software Vulkan drivers, render-node-bound ones and the rest apart', async () => {
    const dirs = [
      fixture('mesa-icds'),
      join(fixture('nvidia-h200-headless'), 'usr/share/vulkan/icd.d'),
    ];
    const icds = await listVulkanIcds(machineRoots({ vulkanIcd: dirs }, {}));
    expect(icds.map((i) => [i.name, i.kind, i.label])).toEqual([
      ['lvp', 'software', 'llvmpipe (Mesa lavapipe)'],
      ['radeon', 'drm', 'radeon (Mesa)'],
      ['nvidia', 'standalone', 'nvidia'],
    ]);
  });

  it('takes its roots from the environment, the Vulkan driver folders too', () => {
    expect(
      machineRoots(
        {},
        {
          NPU_FIRST_SYSFS_ROOT: '/fx/sys',
          NPU_FIRST_PROC_ROOT: '/fx/proc',
          NPU_FIRST_DEV_ROOT: '/fx/dev',
          NPU_FIRST_VULKAN_ICD_DIRS: '/fx/a:/fx/b',
        },
      ),
    ).toEqual({
      sysfs: '/fx/sys',
      proc: '/fx/proc',
      dev: '/fx/dev',
      vulkanIcd: ['/fx/a', '/fx/b'],
    });
  });

  it('looks for Vulkan drivers where the loader does: XDG config and data folders, /etc', () => {
    expect(vulkanIcdDirs({ HOME: '/home/u' })).toEqual([
      '/home/u/.config/vulkan/icd.d',
      '/etc/xdg/vulkan/icd.d',
      '/usr/local/etc/vulkan/icd.d',
      '/etc/vulkan/icd.d',
      '/home/u/.local/share/vulkan/icd.d',
      '/usr/local/share/vulkan/icd.d',
      '/usr/share/vulkan/icd.d',
    ]);
    expect(vulkanIcdDirs({ XDG_DATA_DIRS: '/opt/share' })).toContain('/opt/share/vulkan/icd.d');
    expect(vulkanDriverOverrides({ VK_DRIVER_FILES: '/x.json', VK_LOADER_DEBUG: 'all' })).toEqual([
      'VK_DRIVER_FILES=/x.json',
    ]);
  });
});
