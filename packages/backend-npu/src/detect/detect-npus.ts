import type { DeviceInfo } from '@npu-first/core';
import { identifyAccel, type NpuIdentity } from './npu-catalog.js';
import { type AccelDevice, type AccelScan, scanAccel } from './scan-accel.js';

/** An NPU the kernel exposes, with what is known about it. */
export interface FoundNpu {
  readonly device: AccelDevice;
  readonly identity: NpuIdentity;
}

/** The NPUs under a sysfs root, and a sentence saying what was checked. */
export interface LinuxNpuScan {
  readonly scan: AccelScan;
  readonly npus: readonly FoundNpu[];
  /** `"/sys/class/accel has no devices"`, `"found Intel AI Boost NPU (Meteor Lake) …"`. */
  readonly summary: string;
}

/** Scans the kernel accel class under `sysfsRoot` and names what it finds. */
export async function detectLinuxNpus(sysfsRoot: string): Promise<LinuxNpuScan> {
  const scan = await scanAccel(sysfsRoot);
  const npus = scan.devices.map((device) => ({ device, identity: identifyAccel(device) }));
  let summary: string;
  if (!scan.present) summary = `${scan.dir} does not exist (the kernel exposes no accelerators)`;
  else if (npus.length === 0) summary = `${scan.dir} has no devices`;
  else summary = `found ${npus.map(describeNpu).join('; ')}`;
  return { scan, npus, summary };
}

/** `Intel AI Boost NPU (Meteor Lake) [8086:7d1d] at 0000:00:0b.0, driver intel_vpu`. */
export function describeNpu(npu: FoundNpu): string {
  const { device, identity } = npu;
  const ids = device.pciVendor ? ` [${device.pciVendor}:${device.pciDevice ?? '?'}]` : '';
  return `${identity.name}${ids} at ${device.busId}, driver ${device.driver ?? 'none'}`;
}

/**
 * The `DeviceInfo` a probe reports for an NPU: vendor, driver, and in `details` whether this
 * backend can drive it and, if not, what would make it drivable.
 */
export function npuDeviceInfo(
  npu: FoundNpu,
  verdict: { readonly drivable: boolean; readonly fix?: string },
): DeviceInfo {
  const { device, identity } = npu;
  return {
    name: identity.name,
    vendor: identity.vendor,
    ...(device.driver ? { driver: device.driver } : {}),
    details: {
      node: `/dev/accel/${device.node}`,
      bus: device.busId,
      ...(device.pciVendor ? { pciId: `${device.pciVendor}:${device.pciDevice ?? '?'}` } : {}),
      ...(device.compatible.length > 0 ? { compatible: device.compatible.join(' ') } : {}),
      drivable: verdict.drivable,
      ...(verdict.fix ? { fix: verdict.fix } : {}),
    },
  };
}
