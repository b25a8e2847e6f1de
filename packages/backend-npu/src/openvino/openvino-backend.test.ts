import { NpuFirstError } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import { FIXTURE_ROOTS } from '../detect/__fixtures__/fixture-roots.js';
import { loadOpenVino } from './load-openvino.js';
import type { OvAddon } from './openvino-api.js';
import { createOpenVinoNpuBackend } from './openvino-backend.js';
import { countCoverage, OPENVINO_WHOLE_GRAPH, queryCoverage } from './openvino-coverage.js';
import { probeOpenVino } from './openvino-probe.js';

const linux = {
  platform: 'linux',
  arch: 'x64',
  cpuModel: 'Intel(R) Core(TM) Ultra 7 155H',
} as const;

/**
 * Stand-in for openvino-node, which cannot be installed here (its install downloads the
 * runtime): only the device list the probe reads, as OpenVINO reports it with and without
 * Intel's NPU user-space driver.
 */
function openVinoListing(devices: string[]): () => Promise<OvAddon> {
  class Core {
    getAvailableDevices() {
      return devices;
    }
    getProperty(_device: string, name: string) {
      return name === 'FULL_DEVICE_NAME' ? 'Intel(R) AI Boost' : '';
    }
  }
  return async () => ({ Core, Tensor: class {} }) as unknown as OvAddon;
}

describe('npu-openvino probe', () => {
  it('on this machine: unavailable, naming what was checked', async () => {
    const probe = await createOpenVinoNpuBackend().probe();
    expect(probe.available).toBe(false);
    expect(probe.reason).toMatch(/^no NPU: \/sys\/class\/accel /);
  });

  it('Intel fixture, openvino-node missing (as here): found but not drivable, with the fix', async () => {
    const { result } = await probeOpenVino(linux, FIXTURE_ROOTS.intel, loadOpenVino);
    expect(result.available).toBe(false);
    expect(result.reason).toBe(
      'found Intel AI Boost NPU (Meteor Lake) [8086:7d1d] at 0000:00:0b.0, driver intel_vpu, but openvino-node is not installed: add it with `npm install openvino-node` (its install step downloads the OpenVINO runtime, about 100 MB)',
    );
    expect(result.devices).toEqual([
      {
        name: 'Intel AI Boost NPU (Meteor Lake)',
        vendor: 'Intel',
        driver: 'intel_vpu',
        details: {
          node: '/dev/accel/accel0',
          bus: '0000:00:0b.0',
          pciId: '8086:7d1d',
          drivable: false,
          fix: 'npm install openvino-node',
        },
      },
    ]);
  });

  it('Intel fixture, OpenVINO without the NPU user-space driver: says what to install', async () => {
    const { result } = await probeOpenVino(linux, FIXTURE_ROOTS.intel, openVinoListing(['CPU']));
    expect(result.reason).toContain('OpenVINO lists no NPU device (it sees CPU)');
    expect(result.reason).toContain('intel-driver-compiler-npu');
  });

  it('Intel fixture, OpenVINO lists NPU: available, keeping the device as OpenVINO names it', async () => {
    const { result, ovDevice } = await probeOpenVino(
      linux,
      FIXTURE_ROOTS.intel,
      openVinoListing(['CPU', 'GPU', 'NPU']),
    );
    expect(result).toMatchObject({
      available: true,
      devices: [{ name: 'Intel(R) AI Boost', vendor: 'Intel', details: { drivable: true } }],
    });
    // The name stays a name; OpenVINO's own device name goes to placement.details.engineDevice.
    expect(ovDevice).toBe('NPU');
  });

  it('AMD and Rockchip fixtures: found, not drivable, and what would make them drivable', async () => {
    const amd = (await probeOpenVino(linux, FIXTURE_ROOTS.amd, loadOpenVino)).result;
    expect(amd.reason).toMatch(
      /^no Intel NPU: found AMD Ryzen AI NPU .* driver amdxdna — .*VitisAI/,
    );
    expect(amd.devices[0]).toMatchObject({
      vendor: 'AMD',
      driver: 'amdxdna',
      details: { drivable: false },
    });
    const rk = (await probeOpenVino(linux, FIXTURE_ROOTS.rockchip, loadOpenVino)).result;
    expect(rk.devices[0]).toMatchObject({
      name: 'Rockchip RK3588 NPU',
      driver: 'rocket',
      details: { drivable: false, compatible: 'rockchip,rk3588-rknn-core' },
    });
    expect(rk.reason).toContain('RKNN');
  });

  it('honours NPU_FIRST_SYSFS_ROOT', async () => {
    const saved = process.env.NPU_FIRST_SYSFS_ROOT;
    process.env.NPU_FIRST_SYSFS_ROOT = FIXTURE_ROOTS.intel;
    try {
      const probe = await createOpenVinoNpuBackend({ host: linux }).probe();
      expect(probe.reason).toContain('found Intel AI Boost NPU (Meteor Lake)');
    } finally {
      if (saved === undefined) delete process.env.NPU_FIRST_SYSFS_ROOT;
      else process.env.NPU_FIRST_SYSFS_ROOT = saved;
    }
  });

  it('on Windows asks OpenVINO directly; on macOS says it does not apply', async () => {
    const win = { platform: 'win32', arch: 'x64', cpuModel: 'Intel' } as const;
    expect((await probeOpenVino(win, undefined, loadOpenVino)).result.reason).toMatch(
      /^openvino-node is not installed/,
    );
    expect(
      (await probeOpenVino(win, undefined, openVinoListing(['CPU', 'NPU']))).result.available,
    ).toBe(true);
    const mac = { platform: 'darwin', arch: 'arm64', cpuModel: 'Apple M1' } as const;
    expect((await probeOpenVino(mac, undefined, loadOpenVino)).result.reason).toContain(
      'Linux and Windows',
    );
  });

  it('loadOpenVino fails typed, with the install command', async () => {
    const error = await loadOpenVino().catch((e: unknown) => e);
    expect(NpuFirstError.isInstance(error) && error.toJSON()).toMatchObject({
      code: 'ENGINE_MISSING',
      engine: 'openvino-node',
    });
  });
});

describe('npu-openvino op coverage', () => {
  it("counts the operations queryModel() maps to the NPU, out of the model's", () => {
    // queryModel's answer is { [operation name]: device }; enumerated devices read NPU.0.
    const answer = { x: 'NPU', w: 'NPU.0', matmul: 'NPU', relu: 'NPU', out: 'CPU' };
    expect(countCoverage(answer, 6, 'NPU')).toEqual({
      onDevice: 4,
      total: 6,
      unit: 'ops',
      note: `4/6 ops supported by OpenVINO's NPU plugin; ${OPENVINO_WHOLE_GRAPH}`,
    });
  });

  it('says why the operations were not counted when openvino-node cannot query', () => {
    // An openvino-node before its queryModel binding: only the members the load uses.
    const core = { compileModel: async () => ({}) } as unknown as Parameters<
      typeof queryCoverage
    >[0];
    const model = { clone: () => model, isDynamic: () => false } as unknown as Parameters<
      typeof queryCoverage
    >[1];
    expect(queryCoverage(core, model, 'NPU')).toEqual({
      onDevice: null,
      total: null,
      unit: 'ops',
      note: `${OPENVINO_WHOLE_GRAPH}; ops not counted: this openvino-node has no queryModel/getOps`,
    });
  });
});
