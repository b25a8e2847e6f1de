import { describe, expect, it } from 'vitest';
import { judgeLlamaGpu } from './judge-llama-gpu.js';

describe('judgeLlamaGpu', () => {
  it('accepts a build with a GPU device and VRAM', () => {
    expect(
      judgeLlamaGpu('cuda', {
        gpu: 'cuda',
        deviceNames: ['NVIDIA GeForce RTX 4090'],
        vramTotalBytes: 25_757_220_864,
      }),
    ).toBeUndefined();
  });

  it('refuses vulkan with zero devices and zero VRAM', () => {
    // What node-llama-cpp 3.22 reports on these machines with Mesa's Vulkan drivers installed
    // (the probe adds why: see diagnoseVulkan).
    const reason = judgeLlamaGpu('vulkan', { gpu: 'vulkan', deviceNames: [], vramTotalBytes: 0 });
    expect(reason).toBe('vulkan reports 0 GPU devices and 0 bytes of VRAM: not a GPU');
  });

  it('refuses a device that is a CPU rasteriser, and a build that fell back', () => {
    expect(
      judgeLlamaGpu('vulkan', {
        gpu: 'vulkan',
        deviceNames: ['llvmpipe (LLVM 15.0.6, 256 bits)'],
        vramTotalBytes: 1,
      }),
    ).toBe('vulkan device llvmpipe (LLVM 15.0.6, 256 bits) is a CPU rasteriser, not a GPU');
    expect(judgeLlamaGpu('cuda', { gpu: false, deviceNames: [], vramTotalBytes: 0 })).toBe(
      'node-llama-cpp loaded the CPU build instead of cuda',
    );
  });
});
