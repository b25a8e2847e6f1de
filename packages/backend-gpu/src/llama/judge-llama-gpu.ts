/** What node-llama-cpp reports once a GPU build is loaded. */
export interface LlamaGpuReport {
  /** The build it actually loaded: `false` when it fell back to the CPU. */
  readonly gpu: string | false;
  readonly deviceNames: readonly string[];
  readonly vramTotalBytes: number;
}

/** Device names of Vulkan drivers that rasterise on the CPU. */
const CPU_RASTERISERS = /llvmpipe|lavapipe|swiftshader|softpipe/i;

/**
 * Decides whether a loaded llama.cpp GPU build has a real GPU behind it. node-llama-cpp
 * reports `gpu: 'vulkan'` on machines whose only Vulkan device is Mesa's llvmpipe (or none):
 * zero GPU devices and zero VRAM is not a GPU. Returns the reason it is not, or undefined.
 */
export function judgeLlamaGpu(wanted: string, report: LlamaGpuReport): string | undefined {
  if (report.gpu !== wanted) {
    return `node-llama-cpp loaded the ${report.gpu || 'CPU'} build instead of ${wanted}`;
  }
  const rasteriser = report.deviceNames.find((n) => CPU_RASTERISERS.test(n));
  if (rasteriser) return `${wanted} device ${rasteriser} is a CPU rasteriser, not a GPU`;
  if (report.deviceNames.length === 0 || report.vramTotalBytes === 0) {
    return `${wanted} reports ${report.deviceNames.length} GPU devices and ${report.vramTotalBytes} bytes of VRAM: not a GPU`;
  }
  return undefined;
}
