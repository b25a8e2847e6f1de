import type { AccelDevice } from './scan-accel.js';

/** The npu-first adapters of this package. */
export type NpuAdapterId = 'npu-coreml' | 'npu-openvino';

/** What is known about an NPU from its kernel driver and ids, before any runtime is asked. */
export interface NpuIdentity {
  readonly vendor: string;
  /** A product name a person recognises: `Intel AI Boost NPU (Meteor Lake)`. */
  readonly name: string;
  /** The adapter that can drive this NPU, or `null` when no Node.js path exists yet. */
  readonly adapter: NpuAdapterId | null;
  /** For NPUs without an adapter: what would make them drivable. */
  readonly notDrivable?: string;
}

/** Intel NPU PCI device ids (vendor 8086), from the intel_vpu driver's id table. */
const INTEL_NPUS: Readonly<Record<string, string>> = {
  '7d1d': 'Meteor Lake',
  ad1d: 'Arrow Lake',
  '643e': 'Lunar Lake',
  b03e: 'Panther Lake',
};

/** AMD NPU PCI device ids (vendor 1022), from the amdxdna driver's id table. */
const AMD_NPUS: Readonly<Record<string, string>> = {
  '1502': 'Phoenix / Hawk Point, XDNA',
  '17f0': 'Strix / Krackan, XDNA 2',
};

/**
 * Names an accel device from its driver and ids and says which adapter, if any, can drive
 * it. Whether it is drivable *now* also depends on the user-space stack, which the adapter's
 * probe checks.
 */
export function identifyAccel(device: AccelDevice): NpuIdentity {
  switch (device.driver) {
    case 'intel_vpu': {
      const family = device.pciDevice ? INTEL_NPUS[device.pciDevice] : undefined;
      return {
        vendor: 'Intel',
        name: `Intel AI Boost NPU${family ? ` (${family})` : ''}`,
        adapter: 'npu-openvino',
      };
    }
    case 'amdxdna': {
      const family = device.pciDevice ? AMD_NPUS[device.pciDevice] : undefined;
      return {
        vendor: 'AMD',
        name: `AMD Ryzen AI NPU${family ? ` (${family})` : ''}`,
        adapter: null,
        notDrivable:
          "AMD's stack is XRT with the amdxdna plugin plus Ryzen AI Software's VitisAI execution provider; no onnxruntime-node build includes the VitisAI EP, so Node.js cannot reach this NPU yet (an onnxruntime-node built with --use_vitisai on top of Ryzen AI Software would)",
      };
    }
    case 'qaic':
      return {
        vendor: 'Qualcomm',
        name: 'Qualcomm Cloud AI 100',
        adapter: null,
        notDrivable:
          "needs Qualcomm's Cloud AI Platform and Apps SDKs and their ONNX Runtime QAIC execution provider, which onnxruntime-node does not include",
      };
    case 'rocket':
      return {
        vendor: 'Rockchip',
        name: rockchipName(device),
        adapter: null,
        notDrivable:
          "the mainline rocket driver is driven by Mesa's Teflon TensorFlow Lite delegate, and Rockchip's own stack (rknpu driver + RKNN runtime, models converted with rknn-toolkit2) is separate; neither runs ONNX graphs from Node.js",
      };
    case 'ethosu':
      return {
        vendor: 'Arm',
        name: 'Arm Ethos-U NPU',
        adapter: null,
        notDrivable:
          "Ethos-U runs Vela-compiled TensorFlow Lite models through Arm's ethos-u driver stack; there is no ONNX Runtime path to it",
      };
    case null:
      return {
        vendor: 'unknown',
        name: `accelerator at ${device.busId}`,
        adapter: null,
        notDrivable: 'no kernel driver is bound to it: load the driver for this device',
      };
    default:
      return {
        vendor: 'unknown',
        name: `${device.driver} accelerator`,
        adapter: null,
        notDrivable: `no npu-first adapter knows the ${device.driver} driver`,
      };
  }
}

function rockchipName(device: AccelDevice): string {
  const soc = device.compatible
    .map((c) => c.match(/^rockchip,(rk\d+)/)?.[1])
    .find((s) => s !== undefined);
  return `Rockchip ${soc ? `${soc.toUpperCase()} ` : ''}NPU`;
}
