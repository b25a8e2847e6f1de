import { InvalidOptionError, type LlamaGpuOptions } from '@npu-first/core';

/** Checks `backendOptions[backendId]` of a llama.cpp GPU backend: `gpuLayers` only. */
export function readLlamaGpuOptions(
  backendId: string,
  raw: Readonly<Record<string, unknown>> | undefined,
): LlamaGpuOptions {
  const { gpuLayers, ...rest } = raw ?? {};
  const extra = Object.keys(rest)[0];
  if (extra !== undefined)
    throw new InvalidOptionError(
      `backendOptions.${backendId}.${extra}`,
      'unknown option (known: gpuLayers)',
    );
  if (
    gpuLayers !== undefined &&
    gpuLayers !== 'max' &&
    gpuLayers !== 'auto' &&
    !(Number.isInteger(gpuLayers) && (gpuLayers as number) >= 0)
  ) {
    throw new InvalidOptionError(
      `backendOptions.${backendId}.gpuLayers`,
      `expected a layer count, "max" or "auto", got ${JSON.stringify(gpuLayers)}`,
    );
  }
  return gpuLayers === undefined ? {} : { gpuLayers: gpuLayers as LlamaGpuOptions['gpuLayers'] };
}
