import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_ROOTS } from './__fixtures__/fixture-roots.js';
import { detectLinuxNpus } from './detect-npus.js';
import { scanAccel } from './scan-accel.js';
import { resolveSysfsRoot } from './sysfs-root.js';

describe('scanAccel (fixture sysfs trees)', () => {
  it('follows accel0 → device → driver on an Intel Core Ultra (Meteor Lake)', async () => {
    const scan = await scanAccel(FIXTURE_ROOTS.intel);
    expect(scan.devices).toEqual([
      {
        node: 'accel0',
        driver: 'intel_vpu',
        busId: '0000:00:0b.0',
        pciVendor: '8086',
        pciDevice: '7d1d',
        compatible: [],
      },
    ]);
  });

  it('reads an AMD Ryzen AI NPU behind a PCI bridge', async () => {
    const [device] = (await scanAccel(FIXTURE_ROOTS.amd)).devices;
    expect(device).toMatchObject({ driver: 'amdxdna', busId: '0000:c4:00.1', pciDevice: '1502' });
  });

  it('reads a Rockchip RK3588 platform device and its devicetree compatible', async () => {
    const [device] = (await scanAccel(FIXTURE_ROOTS.rockchip)).devices;
    expect(device).toEqual({
      node: 'accel0',
      driver: 'rocket',
      busId: 'fdab0000.npu',
      compatible: ['rockchip,rk3588-rknn-core'],
    });
  });

  it('tells a missing accel class from an empty one', async () => {
    expect(await scanAccel(FIXTURE_ROOTS.none)).toMatchObject({ present: false, devices: [] });
    const root = await mkdtemp(join(tmpdir(), 'npu-first-sysfs-'));
    await mkdir(join(root, 'class', 'accel'), { recursive: true });
    expect(await scanAccel(root)).toMatchObject({ present: true, devices: [] });
    expect((await detectLinuxNpus(root)).summary).toBe(
      `${join(root, 'class', 'accel')} has no devices`,
    );
  });
});

describe('detectLinuxNpus', () => {
  it('names each fixture NPU with vendor, ids, bus and driver', async () => {
    const summaries = await Promise.all(
      [FIXTURE_ROOTS.intel, FIXTURE_ROOTS.amd, FIXTURE_ROOTS.rockchip].map(
        async (root) => (await detectLinuxNpus(root)).summary,
      ),
    );
    expect(summaries).toEqual([
      'found Intel AI Boost NPU (Meteor Lake) [8086:7d1d] at 0000:00:0b.0, driver intel_vpu',
      'found AMD Ryzen AI NPU (Phoenix / Hawk Point, XDNA) [1022:1502] at 0000:c4:00.1, driver amdxdna',
      'found Rockchip RK3588 NPU at fdab0000.npu, driver rocket',
    ]);
  });

  it('says what it checked on a machine without NPUs', async () => {
    expect((await detectLinuxNpus(FIXTURE_ROOTS.none)).summary).toBe(
      `${join(FIXTURE_ROOTS.none, 'class', 'accel')} does not exist (the kernel exposes no accelerators)`,
    );
  });

  it('takes the root from the option, then NPU_FIRST_SYSFS_ROOT, then /sys', () => {
    expect(resolveSysfsRoot('/a', { NPU_FIRST_SYSFS_ROOT: '/b' })).toBe('/a');
    expect(resolveSysfsRoot(undefined, { NPU_FIRST_SYSFS_ROOT: '/b' })).toBe('/b');
    expect(resolveSysfsRoot(undefined, {})).toBe('/sys');
  });
});
