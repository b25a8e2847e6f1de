import { availableParallelism } from 'node:os';
import type { BackendV2, ProbeResult } from '@npu-first/core';
import {
  checkLlamaInstall,
  chooseLlamaThreads,
  chooseLlamaThreadsFor,
  loadLlamaSession,
} from '@npu-first/llama-cpp';
import { cpuDevice } from './cpu-device.js';
import { checkCpuLlamaOptions } from './cpu-llama-options.js';
import { CPU_LLAMA_BACKEND_ID, CPU_LLAMA_DESCRIPTOR } from './descriptors.js';

/** Defaults for every GGUF model this backend loads; per-load options override them. */
export interface CpuLlamaBackendOptions {
  /**
   * Generation threads. Default: chosen for the machine and model by `chooseLlamaThreads`
   * (`@npu-first/llama-cpp`); a load reports it and why in `placement.details.threads`.
   */
  readonly threads?: number;
  /** Context size in tokens. Default: min(model's training context, 4096). */
  readonly contextSize?: number;
  readonly priority?: number;
}

/**
 * What the default rule gives a model of unknown size here, without loading the engine
 * (llama.cpp's math cores taken as the logical cores). A load decides with the engine's own
 * count and reports it in `model.placement.details.threads`: read that where a model is loaded.
 */
export function defaultLlamaThreads(): number {
  const cores = availableParallelism();
  return chooseLlamaThreads({
    logicalCores: cores,
    mathCores: cores,
    modelBytes: Number.POSITIVE_INFINITY,
  }).threads;
}

/**
 * GGUF language models on llama.cpp's CPU build, through node-llama-cpp (an optional peer:
 * install it only if you run language models). `backendOptions['cpu-llamacpp']` takes nothing
 * yet; use the common `threads` and `contextSize` load options.
 */
export function createCpuLlamaBackend(defaults: CpuLlamaBackendOptions = {}): BackendV2 {
  const device = cpuDevice();
  return {
    ...CPU_LLAMA_DESCRIPTOR,
    specificationVersion: 'v2',
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
      checkCpuLlamaOptions(CPU_LLAMA_BACKEND_ID, context.backendOptions);
      const contextSize = context.options.contextSize ?? defaults.contextSize;
      const { threads, source } = await chooseLlamaThreadsFor(false, {
        option: context.options.threads,
        backendDefault: defaults.threads,
        modelBytes: model.sizeBytes,
      });
      return loadLlamaSession({
        backendId: CPU_LLAMA_BACKEND_ID,
        gpu: false,
        model,
        device,
        threads,
        threadsWhy: source,
        ...(contextSize !== undefined ? { contextSize } : {}),
        signal: context.signal,
      });
    },
  };
}
