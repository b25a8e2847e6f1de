import type { DeviceInfo } from '@npu-first/core';
import type { NvidiaDetection } from '../detect/nvidia.js';

/** ggml's Vulkan device line: `ggml_vulkan: 0 = NVIDIA H200 (NVIDIA) | uma: 0 | fp16: 1 | …`. */
const VULKAN_DEVICE = /^ggml_vulkan: (\d+) = (.+) \(([^()]*)\) \| uma: (\d)/;

/**
 * The devices a loaded llama.cpp GPU build reports, named by the engine. llama.cpp logs each
 * Vulkan device's driver (the last parenthesised group before `| uma:`, since device names
 * carry parentheses of their own); the NVIDIA kernel driver adds its version. node-llama-cpp
 * gives one VRAM total for all devices: it is the device's memory when there is one device.
 */
export function llamaDevices(
  displayName: string,
  report: { deviceNames: readonly string[]; vramTotalBytes: number; logs?: readonly string[] },
  nvidia?: NvidiaDetection,
): DeviceInfo[] {
  const drivers = new Map<number, { driver: string; uma: boolean }>();
  for (const line of report.logs ?? []) {
    const m = VULKAN_DEVICE.exec(line);
    if (m) drivers.set(Number(m[1]), { driver: m[3] ?? '', uma: m[4] === '1' });
  }
  const single = report.deviceNames.length === 1;
  return report.deviceNames.map((name, i) => {
    const vk = drivers.get(i);
    const nvidiaVersion =
      /nvidia/i.test(name) && nvidia?.driverVersion ? ` ${nvidia.driverVersion}` : '';
    const driver = vk?.driver
      ? `Vulkan, ${vk.driver}${nvidiaVersion}`
      : `${displayName}${nvidiaVersion}`;
    return {
      name,
      ...(/nvidia/i.test(name) ? { vendor: 'NVIDIA' } : {}),
      driver,
      ...(single ? { memoryBytes: report.vramTotalBytes } : {}),
      details: {
        nameFrom: `${displayName} device list`,
        ...(vk ? { unifiedMemory: vk.uma } : {}),
        ...(!single && i === 0 ? { vramAllDevicesBytes: report.vramTotalBytes } : {}),
      },
    };
  });
}
