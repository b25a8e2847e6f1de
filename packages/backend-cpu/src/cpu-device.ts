import { availableParallelism, cpus } from 'node:os';
import type { DeviceInfo } from '@npu-first/core';

/** Describes this machine's CPU from what Node reports. */
export function cpuDevice(): DeviceInfo {
  const list = cpus();
  const model = list[0]?.model.trim() || `${process.arch} CPU`;
  return {
    name: model,
    vendor: vendorOf(model),
    details: { logicalCores: availableParallelism(), arch: process.arch },
  };
}

function vendorOf(model: string): string {
  if (/intel/i.test(model)) return 'Intel';
  if (/amd|ryzen|epyc/i.test(model)) return 'AMD';
  if (/apple/i.test(model)) return 'Apple';
  if (/snapdragon|qualcomm/i.test(model)) return 'Qualcomm';
  return 'unknown';
}
