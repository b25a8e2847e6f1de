import { type Backend, type ProbeResult, SUPPORTED_SPECIFICATION_VERSIONS } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import { bounded, type Settled } from './bounded.js';
import { describeThrown } from './describe-thrown.js';
import type { Settings } from './options.js';

/** The spec shape and the probe contract; a probe that threw or hung fails here, by name. */
export function describeContract(
  backend: Backend,
  probed: Settled<ProbeResult>,
  settings: Settings,
): void {
  const probeOf = (): ProbeResult => {
    if (!probed.ok) expect.fail(`probe() must resolve, it threw ${describeThrown(probed.error)}`);
    return probed.value;
  };
  describe('spec and probe contract', () => {
    it('declares spec v2 (or v1), a well-formed id, a device kind, formats and tasks', () => {
      expect(SUPPORTED_SPECIFICATION_VERSIONS).toContain(backend.specificationVersion);
      expect(backend.id).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
      expect(['npu', 'gpu', 'cpu']).toContain(backend.deviceKind);
      expect(backend.formats.length).toBeGreaterThan(0);
      expect(backend.tasks.length).toBeGreaterThan(0);
      expect(typeof backend.probe).toBe('function');
      expect(typeof backend.load).toBe('function');
    });

    it('probe() reports availability, devices, and a reason when unavailable', () => {
      const probe = probeOf();
      expect(typeof probe.available).toBe('boolean');
      expect(Array.isArray(probe.devices)).toBe(true);
      for (const device of probe.devices) expect(typeof device.name).toBe('string');
      if (!probe.available) {
        expect(typeof probe.reason).toBe('string');
        expect((probe.reason ?? '').length).toBeGreaterThan(10);
      } else {
        expect(probe.devices.length).toBeGreaterThan(0);
      }
    });

    it('probe() gives the same answer when asked again', async () => {
      const probe = probeOf();
      const again = await bounded('probe(), asked again,', settings.probeTimeoutMs, () =>
        backend.probe(),
      ).catch((error: unknown) =>
        expect.fail(`probe(), asked again, threw ${describeThrown(error)}`),
      );
      expect(again.available).toBe(probe.available);
      expect(again.devices.map((d) => d.name)).toEqual(probe.devices.map((d) => d.name));
    });
  });
}
