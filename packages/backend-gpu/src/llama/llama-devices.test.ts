import { describe, expect, it } from 'vitest';
import { llamaDevices } from './llama-devices.js';

describe('llamaDevices', () => {
  it("names devices as llama.cpp does, with the Vulkan driver it logged and the NVIDIA driver's release", () => {
    // The H200 machine: node-llama-cpp's Vulkan build listed "NVIDIA H200" with 150 GB of VRAM
    // (recorded; 143771 MiB here, as nvidia-smi gave it); the device line is ggml's format,
    // reconstructed for that device.
    const devices = llamaDevices(
      'llama.cpp Vulkan',
      {
        deviceNames: ['NVIDIA H200'],
        vramTotalBytes: 150_754_820_096,
        logs: [
          'ggml_vulkan: Found 1 Vulkan devices:',
          'ggml_vulkan: 0 = NVIDIA H200 (NVIDIA) | uma: 0 | fp16: 1 | bf16: 1 | warp size: 32 | shared memory: 49152 | int dot: 1 | matrix cores: NV_coopmat2',
        ],
      },
      { driverVersion: '580.159.04', seenAt: '/proc/driver/nvidia/version', gpus: [] },
    );
    expect(devices).toEqual([
      {
        name: 'NVIDIA H200',
        vendor: 'NVIDIA',
        driver: 'Vulkan, NVIDIA 580.159.04',
        memoryBytes: 150_754_820_096,
        details: { nameFrom: 'llama.cpp Vulkan device list', unifiedMemory: false },
      },
    ]);
  });

  it('keeps device names with parentheses whole, and one VRAM total on the first of several', () => {
    const devices = llamaDevices('llama.cpp Vulkan', {
      deviceNames: ['Intel(R) Arc(TM) 140V GPU (16GB)', 'AMD Radeon RX 7900 XTX (RADV NAVI31)'],
      vramTotalBytes: 40e9,
      logs: [
        'ggml_vulkan: 0 = Intel(R) Arc(TM) 140V GPU (16GB) (Intel open-source Mesa driver) | uma: 1 | fp16: 1',
        'ggml_vulkan: 1 = AMD Radeon RX 7900 XTX (RADV NAVI31) (radv) | uma: 0 | fp16: 1',
      ],
    });
    expect(devices.map((d) => [d.name, d.driver, d.memoryBytes, d.details])).toEqual([
      [
        'Intel(R) Arc(TM) 140V GPU (16GB)',
        'Vulkan, Intel open-source Mesa driver',
        undefined,
        {
          nameFrom: 'llama.cpp Vulkan device list',
          unifiedMemory: true,
          vramAllDevicesBytes: 40e9,
        },
      ],
      [
        'AMD Radeon RX 7900 XTX (RADV NAVI31)',
        'Vulkan, radv',
        undefined,
        { nameFrom: 'llama.cpp Vulkan device list', unifiedMemory: false },
      ],
    ]);
  });
});
