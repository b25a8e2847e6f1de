import { describe, expect, it } from 'vitest';
import { FIXTURE_ROOTS } from '../detect/__fixtures__/fixture-roots.js';
import { createCoreMlNpuBackend, probeCoreMl } from './coreml-backend.js';
import { ANE_COREML_FLAGS } from './coreml-flags.js';

const linux = { platform: 'linux', arch: 'x64', cpuModel: 'AMD EPYC' } as const;

describe('npu-coreml probe', () => {
  it('on this machine: unavailable, naming what was checked', async () => {
    const probe = await createCoreMlNpuBackend().probe();
    expect(probe.available).toBe(false);
    expect(probe.reason).toMatch(
      /^not macOS on Apple Silicon \(linux x64\); no NPU: \/sys\/class\/accel /,
    );
  });

  it('lists a Linux NPU it cannot drive, and who can', async () => {
    const probe = await probeCoreMl(linux, FIXTURE_ROOTS.intel);
    expect(probe.reason).toBe(
      'not macOS on Apple Silicon (linux x64); found Intel AI Boost NPU (Meteor Lake) [8086:7d1d] at 0000:00:0b.0, driver intel_vpu',
    );
    expect(probe.devices[0]?.details).toMatchObject({
      drivable: false,
      fix: 'driven by the npu-openvino backend, not this one',
    });
  });

  it('on Apple Silicon asks onnxruntime-node for the CoreML EP (this Linux build has none)', async () => {
    const probe = await probeCoreMl({ platform: 'darwin', arch: 'arm64', cpuModel: 'Apple M3' });
    expect(probe).toMatchObject({
      available: false,
      reason:
        'Apple M3 has a Neural Engine, but this onnxruntime-node build has no CoreML execution provider',
      devices: [{ name: 'Apple Neural Engine', vendor: 'Apple', details: { drivable: false } }],
    });
  });

  it('configures CoreML for the ANE: CPU+ANE compute units, static shapes, ML Program', () => {
    expect(ANE_COREML_FLAGS).toBe(0x004 | 0x008 | 0x010);
  });
});
