import { availableParallelism } from 'node:os';
import { type Backend, InvalidOptionError, type ProbeResult } from '@npu-first/core';
import { checkLlamaInstall, createLlamaGenerator } from '@npu-first/llama-cpp';
import { cpuDevice } from './cpu-device.js';
import { CPU_LLAMA_BACKEND_ID, CPU_LLAMA_DESCRIPTOR } from './descriptors.js';

/** Defaults for every GGUF model this backend loads; per-load options override them. */
export interface CpuLlamaBackendOptions {
  /** Generation threads. Default: one less than the logical cores (at least 1). */
  readonly threads?: number;
  /** Context size in tokens. Default: min(model's training context, 4096). */
  readonly contextSize?: number;
  readonly priority?: number;
}

/**
 * Leaves a core to Node's own threads: on small machines llama.cpp threads that compete with
 * the event loop for every core spin-wait and slow each token by orders of magnitude.
 */
export function defaultLlamaThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * GGUF language models on llama.cpp's CPU build, through node-llama-cpp (an optional peer:
 * install it only if you run language models). `backendOptions['cpu-llamacpp']` takes nothing
 * yet; use the common `threads` and `contextSize` load options.
 */
export function createCpuLlamaBackend(defaults: CpuLlamaBackendOptions = {}): Backend {
  const device = cpuDevice();
  return {
    ...CPU_LLAMA_DESCRIPTOR,
    priority: defaults.priority ?? 0,
    // A cheap look (milliseconds), not a load of llama.cpp (about a second): the first GGUF
    // load starts the engine, and a binary that then fails to load is a failed attempt.
    async probe(): Promise<ProbeResult> {
      const install = checkLlamaInstall();
      return install.ok
        ? { available: true, devices: [device] }
        : { available: false, devices: [device], reason: install.reason };
    },
    async load(model, context) {
      const own = context.backendOptions;
      if (own !== undefined && Object.keys(own).length > 0) {
        const key = Object.keys(own)[0] as string;
        throw new InvalidOptionError(
          `backendOptions.${CPU_LLAMA_BACKEND_ID}.${key}`,
          'unknown option (use the common threads and contextSize options)',
        );
      }
      const contextSize = context.options.contextSize ?? defaults.contextSize;
      const threads = context.options.threads ?? defaults.threads ?? defaultLlamaThreads();
      return createLlamaGenerator({
        backendId: CPU_LLAMA_BACKEND_ID,
        gpu: false,
        model,
        device: { ...device, details: { ...device.details, threads } },
        threads,
        ...(contextSize !== undefined ? { contextSize } : {}),
        signal: context.signal,
      });
    },
  };
}
