import { type DeviceInfo, messageOf, type ProbeResult } from '@npu-first/core';
import type { HostFacts } from '../detect/apple-silicon.js';
import { describeNpu, detectLinuxNpus, npuDeviceInfo } from '../detect/detect-npus.js';
import { resolveSysfsRoot } from '../detect/sysfs-root.js';
import { OPENVINO_INSTALL } from './load-openvino.js';
import type { OvAddon, OvCore } from './openvino-api.js';

/** Intel's NPU user-space stack on Linux, which OpenVINO's NPU plugin drives the device through. */
export const INTEL_NPU_USERSPACE =
  "install Intel's NPU user-space driver (intel-level-zero-npu and intel-driver-compiler-npu from github.com/intel/linux-npu-driver) and let this user open /dev/accel/accel* (the render group)";

/** What an OpenVINO probe found; `core` and the device as OpenVINO lists it are kept for `load()`. */
export interface OpenVinoProbe {
  readonly result: ProbeResult;
  readonly ov?: OvAddon;
  readonly core?: OvCore;
  /** The NPU as OpenVINO names it in `getAvailableDevices()` (`NPU`, `NPU.0`). */
  readonly ovDevice?: string;
}

/**
 * Finds an Intel NPU OpenVINO can drive. On Linux the kernel must expose it (intel_vpu in
 * the accel class) before openvino-node is even imported; then openvino-node must import
 * and list `NPU` in `core.getAvailableDevices()` — which it only does when Intel's NPU
 * user-space driver works. On Windows OpenVINO's own device list is the check.
 */
export async function probeOpenVino(
  host: HostFacts,
  sysfsRoot: string | undefined,
  load: () => Promise<OvAddon>,
): Promise<OpenVinoProbe> {
  if (host.platform === 'linux') {
    const linux = await detectLinuxNpus(resolveSysfsRoot(sysfsRoot));
    const intel = linux.npus.filter((n) => n.identity.adapter === 'npu-openvino');
    const others = linux.npus
      .filter((n) => n.identity.adapter !== 'npu-openvino')
      .map((npu) =>
        npuDeviceInfo(npu, {
          drivable: false,
          fix:
            npu.identity.adapter === 'npu-coreml'
              ? 'driven by the npu-coreml backend'
              : (npu.identity.notDrivable ?? 'no adapter drives it'),
        }),
      );
    if (intel.length === 0) {
      const reason =
        linux.npus.length === 0
          ? `no NPU: ${linux.summary}`
          : `no Intel NPU: ${linux.summary} — ${linux.npus.map((n) => `${n.identity.name}: ${n.identity.notDrivable ?? 'not an OpenVINO device'}`).join('; ')}`;
      return { result: { available: false, devices: others, reason } };
    }
    const found = intel.map(describeNpu).join('; ');
    const checked = await checkOpenVino(load);
    const devices = (drivable: boolean, fix?: string) => [
      ...intel.map((npu) => npuDeviceInfo(npu, { drivable, ...(fix ? { fix } : {}) })),
      ...others,
    ];
    if (!checked.ok) {
      return {
        result: {
          available: false,
          devices: devices(false, checked.fix),
          reason: `found ${found}, but ${checked.reason}`,
        },
      };
    }
    const [first, ...rest] = devices(true);
    const named: DeviceInfo = {
      ...(first as DeviceInfo),
      name: checked.name ?? (first as DeviceInfo).name,
      driver: `intel_vpu + OpenVINO ${checked.version}`,
    };
    return {
      result: { available: true, devices: [named, ...rest] },
      ov: checked.ov,
      core: checked.core,
      ovDevice: checked.device,
    };
  }
  if (host.platform === 'win32') {
    const checked = await checkOpenVino(load);
    if (!checked.ok) return { result: { available: false, devices: [], reason: checked.reason } };
    const device: DeviceInfo = {
      name: checked.name ?? 'Intel NPU',
      vendor: 'Intel',
      driver: `OpenVINO ${checked.version}`,
      details: { drivable: true },
    };
    return {
      result: { available: true, devices: [device] },
      ov: checked.ov,
      core: checked.core,
      ovDevice: checked.device,
    };
  }
  return {
    result: {
      available: false,
      devices: [],
      reason: `OpenVINO drives Intel NPUs on Linux and Windows; this is ${host.platform} ${host.arch}`,
    },
  };
}

type OpenVinoCheck =
  | { ok: true; ov: OvAddon; core: OvCore; device: string; name?: string; version: string }
  | { ok: false; reason: string; fix: string };

async function checkOpenVino(load: () => Promise<OvAddon>): Promise<OpenVinoCheck> {
  let ov: OvAddon;
  try {
    ov = await load();
  } catch {
    return {
      ok: false,
      reason: `openvino-node is not installed: ${OPENVINO_INSTALL}`,
      fix: 'npm install openvino-node',
    };
  }
  let core: OvCore;
  let available: string[];
  try {
    core = new ov.Core();
    available = core.getAvailableDevices();
  } catch (error) {
    return {
      ok: false,
      reason: `OpenVINO failed to list devices: ${messageOf(error)}`,
      fix: INTEL_NPU_USERSPACE,
    };
  }
  const npu = available.find((d) => d === 'NPU' || d.startsWith('NPU.'));
  if (!npu) {
    return {
      ok: false,
      reason: `OpenVINO lists no NPU device (it sees ${available.join(', ') || 'nothing'}): ${INTEL_NPU_USERSPACE}`,
      fix: INTEL_NPU_USERSPACE,
    };
  }
  const name = property(core, npu, 'FULL_DEVICE_NAME');
  return {
    ok: true,
    ov,
    core,
    device: npu,
    version: property(core, npu, 'NPU_DRIVER_VERSION') ?? 'runtime',
    ...(name ? { name } : {}),
  };
}

function property(core: OvCore, device: string, name: string): string | undefined {
  try {
    const value = core.getProperty(device, name);
    return value === '' ? undefined : String(value);
  } catch {
    return undefined;
  }
}
