import { type BackendV2, messageOf, type ProbeResult } from '@npu-first/core';
import { type LlamaGpu, loadLlamaSession } from '@npu-first/llama-cpp';
import { gpuDescriptor } from '../descriptors.js';
import type { CheapLookFn } from '../detect/cheap-looks.js';
import { type Env, type MachineRoots, machineRoots } from '../detect/machine-roots.js';
import { currentPlatform, describePlatform } from '../detect/platform.js';
import { alwaysAskEngine } from '../engine-probe/probe-mode.js';
import { readLlamaGpuOptions } from './llama-gpu-options.js';

/** One llama.cpp GPU build, described as data. */
export interface LlamaGpuPath {
  readonly id: string;
  readonly gpu: Exclude<LlamaGpu, false>;
  readonly displayName: string;
  readonly priority: number;
  readonly platforms: readonly string[];
  /** Looks at the machine without starting the engine (see `CheapLook.absent`). */
  readonly cheapLook?: CheapLookFn;
}

export interface LlamaGpuBackendOptions {
  /** Fixture roots for tests; default the real system (see `machineRoots`). */
  readonly roots?: Partial<MachineRoots>;
  /** Pretend to be another platform (tests); default this process's. */
  readonly platform?: string;
  /** The environment probes read and run the engine in; default `process.env`. */
  readonly env?: Env;
  /** How long the engine may take to answer the probe; default `ENGINE_PROBE_TIMEOUT_MS`. */
  readonly engineTimeoutMs?: number;
}

/**
 * A GPU backend for GGUF models on one llama.cpp build. The probe refuses what is not a GPU:
 * a cheap look at the machine first (which may only refuse where it proves the engine has
 * nothing to find), then a child process loads the build, which must report at least one GPU
 * device with VRAM. Layers are offloaded to the GPU (all by default; `gpuLayers` in
 * `backendOptions[id]` takes a number, `'max'` or `'auto'`); the device's VRAM is reported,
 * and the load's details say how many layers went to the GPU.
 */
export function createLlamaGpuBackend(
  path: LlamaGpuPath,
  options: LlamaGpuBackendOptions = {},
): BackendV2 {
  const env = options.env ?? process.env;
  const roots = machineRoots(options.roots, env);
  const platform = options.platform ?? currentPlatform();
  return {
    ...gpuDescriptor(path, 'llamacpp'),
    async probe(): Promise<ProbeResult> {
      if (!path.platforms.includes(platform)) {
        return {
          available: false,
          devices: [],
          reason: `node-llama-cpp ships its ${path.displayName} build for ${path.platforms.map(describePlatform).join(', ')}; this is ${describePlatform(platform)}`,
        };
      }
      try {
        const look = path.cheapLook ? await path.cheapLook(roots, env) : { devices: [] };
        if (look.absent && !alwaysAskEngine(env)) {
          return { available: false, devices: look.devices, reason: look.absent };
        }
        // Imported here: a probe the look answered never needs them.
        const [{ askEngine }, { llamaVerdict }] = await Promise.all([
          import('../engine-probe/ask-engine.js'),
          import('./llama-verdict.js'),
        ]);
        const reply = await askEngine(
          { engine: 'node-llama-cpp', gpu: path.gpu },
          { env, ...(options.engineTimeoutMs ? { timeoutMs: options.engineTimeoutMs } : {}) },
        );
        return await llamaVerdict(path, reply, look, { roots, env, platform });
      } catch (error) {
        return { available: false, devices: [], reason: messageOf(error) };
      }
    },
    async load(model, context) {
      const { gpuLayers } = readLlamaGpuOptions(path.id, context.backendOptions);
      const device = context.probe.devices[0] ?? { name: path.displayName };
      const { contextSize, threads } = context.options;
      return loadLlamaSession({
        backendId: path.id,
        gpu: path.gpu,
        model,
        device,
        gpuLayers: gpuLayers ?? 'max',
        ...(contextSize !== undefined ? { contextSize } : {}),
        ...(threads !== undefined ? { threads, threadsWhy: 'load option' } : {}),
        signal: context.signal,
      });
    },
  };
}
