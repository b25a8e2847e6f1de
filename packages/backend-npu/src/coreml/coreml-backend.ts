import { type BackendV2, type DeviceInfo, messageOf, type ProbeResult } from '@npu-first/core';
import { loadOrt } from '@npu-first/onnxruntime';
import { COREML_NPU_BACKEND_ID, COREML_NPU_DESCRIPTOR } from '../descriptors.js';
import {
  type AppleSiliconCheck,
  detectAppleSilicon,
  type HostFacts,
  hostFacts,
} from '../detect/apple-silicon.js';
import { detectLinuxNpus, npuDeviceInfo } from '../detect/detect-npus.js';
import { resolveSysfsRoot } from '../detect/sysfs-root.js';
import { createOrtNpuBackend, type OrtNpuDefaults } from '../ort-npu-backend.js';
import { ANE_COREML_FLAGS, COREML_PROVIDER } from './coreml-flags.js';

export { COREML_NPU_BACKEND_ID };

/** Options of {@link createCoreMlNpuBackend}. */
export interface CoreMlNpuBackendOptions extends OrtNpuDefaults {
  /** sysfs root for reporting other NPUs on Linux; default `$NPU_FIRST_SYSFS_ROOT` or `/sys`. */
  readonly sysfsRoot?: string;
  /** Platform facts, for tests; default this machine's. */
  readonly host?: HostFacts;
}

/**
 * The Apple Neural Engine, through onnxruntime-node's CoreML execution provider on macOS
 * arm64: compute units CPU + ANE, ML Program format, static input shapes. Per-load
 * `backendOptions['npu-coreml']`: `shapes`, `minNpuCoverage` and ORT session settings.
 */
export function createCoreMlNpuBackend(options: CoreMlNpuBackendOptions = {}): BackendV2 {
  return createOrtNpuBackend(
    {
      id: COREML_NPU_BACKEND_ID,
      displayName: COREML_NPU_DESCRIPTOR.displayName as string,
      npuProvider: COREML_PROVIDER,
      executionProviders: [{ name: 'coreml', coreMlFlags: ANE_COREML_FLAGS }, 'cpu'],
      probe: () => probeCoreMl(options.host ?? hostFacts(), options.sysfsRoot),
    },
    options,
  );
}

/** Finds the ANE: Apple Silicon, and an onnxruntime-node build with the CoreML EP. */
export async function probeCoreMl(host: HostFacts, sysfsRoot?: string): Promise<ProbeResult> {
  const apple = detectAppleSilicon(host);
  if (!apple.found) return notAppleSilicon(apple, host, sysfsRoot);
  const ane: DeviceInfo = {
    name: 'Apple Neural Engine',
    vendor: 'Apple',
    driver: 'CoreML',
    details: { chip: apple.chip, computeUnits: 'CPUAndNeuralEngine', modelFormat: 'MLProgram' },
  };
  try {
    const ort = await loadOrt();
    if (!ort.listSupportedBackends().some((b) => b.name === 'coreml')) {
      return {
        available: false,
        devices: [
          withVerdict(ane, false, 'use the official onnxruntime-node build for macOS arm64'),
        ],
        reason: `${apple.chip} has a Neural Engine, but this onnxruntime-node build has no CoreML execution provider`,
      };
    }
    return { available: true, devices: [withVerdict(ane, true)] };
  } catch (error) {
    return {
      available: false,
      devices: [withVerdict(ane, false, 'npm install onnxruntime-node')],
      reason: messageOf(error),
    };
  }
}

async function notAppleSilicon(
  apple: Extract<AppleSiliconCheck, { found: false }>,
  host: HostFacts,
  sysfsRoot: string | undefined,
): Promise<ProbeResult> {
  if (host.platform !== 'linux') return { available: false, devices: [], reason: apple.reason };
  const linux = await detectLinuxNpus(resolveSysfsRoot(sysfsRoot));
  const devices = linux.npus.map((npu) =>
    npuDeviceInfo(npu, {
      drivable: false,
      fix:
        npu.identity.adapter === 'npu-openvino'
          ? 'driven by the npu-openvino backend, not this one'
          : (npu.identity.notDrivable ?? 'no adapter drives it'),
    }),
  );
  const found = linux.npus.length > 0 ? linux.summary : `no NPU: ${linux.summary}`;
  return { available: false, devices, reason: `${apple.reason}; ${found}` };
}

function withVerdict(device: DeviceInfo, drivable: boolean, fix?: string): DeviceInfo {
  return { ...device, details: { ...device.details, drivable, ...(fix ? { fix } : {}) } };
}
