import { type BackendV2, messageOf, type ProbeResult } from '@npu-first/core';
import { loadOrtSession, toSessionOptions } from '@npu-first/onnxruntime';
import { gpuDescriptor } from '../descriptors.js';
import type { CheapLookFn } from '../detect/cheap-looks.js';
import { type Env, type MachineRoots, machineRoots } from '../detect/machine-roots.js';
import { currentPlatform, describePlatform } from '../detect/platform.js';
import { alwaysAskEngine } from '../engine-probe/probe-mode.js';
import { cudaInstallHint, missingLibraries } from './ort-binaries.js';
import { readOrtGpuOptions } from './ort-gpu-options.js';

/** What ONNX Runtime said when a provider did not start, for a path's `explain`. */
export interface OrtFailure {
  /** ONNX Runtime's error, without its source-location prefix. */
  readonly message: string;
  /** What matters of the engine's own output during the attempt (Dawn, the Vulkan loader). */
  readonly output: readonly string[];
  readonly roots: MachineRoots;
  readonly env: Env;
}

/** One GPU execution provider of onnxruntime-node, described as data. */
export interface OrtGpuPath {
  readonly id: string;
  /** The provider's name in onnxruntime-node (`cuda`, `tensorrt`, `dml`, `webgpu`, `coreml`). */
  readonly ep: string;
  readonly displayName: string;
  /** Higher is tried first within the GPU tier. */
  readonly priority: number;
  /** `process.platform-process.arch` pairs whose onnxruntime-node build has this provider. */
  readonly platforms: readonly string[];
  /** Provider libraries that must sit beside onnxruntime-node's binary (not bundled in npm). */
  readonly requiredLibraries?: readonly string[];
  /** Looks at the machine without starting the engine (see `CheapLook.absent`). */
  readonly cheapLook?: CheapLookFn;
  /** Provider options for a device id. */
  readonly epOptions?: (deviceId: number) => Record<string, unknown>;
  /** Turns ONNX Runtime's start-up error into advice. */
  readonly explain?: (failure: OrtFailure) => string | Promise<string>;
}

export interface OrtGpuBackendOptions {
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
 * Builds a GPU backend for one ONNX Runtime execution provider. Its probe goes from cheap to
 * certain — the platform's build, a look at the machine (which may only refuse where it proves
 * the engine has nothing to find), the provider's libraries — then asks the engine: a child
 * process starts the provider on a tiny model, and its answer decides. ONNX Runtime throws
 * instead of falling back when a provider cannot start; each provider being its own backend
 * lets the chain fall back. `backendOptions[id]`: `deviceId` plus ONNX Runtime session settings.
 */
export function createOrtGpuBackend(
  path: OrtGpuPath,
  options: OrtGpuBackendOptions = {},
): BackendV2 {
  const env = options.env ?? process.env;
  const roots = machineRoots(options.roots, env);
  const platform = options.platform ?? currentPlatform();
  return {
    ...gpuDescriptor(path, 'onnxruntime'),
    async probe(): Promise<ProbeResult> {
      if (!path.platforms.includes(platform)) {
        const where = path.platforms.map(describePlatform).join(', ');
        return {
          available: false,
          devices: [],
          reason: `onnxruntime-node has the ${path.displayName} provider on ${where} only; this is ${describePlatform(platform)}`,
        };
      }
      try {
        const look = path.cheapLook ? await path.cheapLook(roots, env) : { devices: [] };
        const { devices } = look;
        if (look.absent && !alwaysAskEngine(env)) {
          return { available: false, devices, reason: look.absent };
        }
        const missing = missingLibraries(path.requiredLibraries ?? []);
        if (missing.length > 0) {
          return {
            available: false,
            devices,
            reason: `${path.displayName} execution provider libraries are not installed (${missing.join(', ')} missing): ${cudaInstallHint()}`,
          };
        }
        // Imported here: a probe the look answered never needs them.
        const [{ askEngine }, { ortVerdict }] = await Promise.all([
          import('../engine-probe/ask-engine.js'),
          import('./ort-verdict.js'),
        ]);
        const question = {
          engine: 'onnxruntime',
          ep: path.ep,
          options: path.epOptions?.(0),
        } as const;
        const reply = await askEngine(question, {
          env,
          ...(options.engineTimeoutMs ? { timeoutMs: options.engineTimeoutMs } : {}),
        });
        return ortVerdict(path, reply, look, { roots, env });
      } catch (error) {
        return { available: false, devices: [], reason: messageOf(error) };
      }
    },
    async load(model, context) {
      const { deviceId, settings } = readOrtGpuOptions(path.id, context.backendOptions);
      const ep = { name: path.ep, ...(path.epOptions?.(deviceId) ?? {}) };
      const sessionOptions = toSessionOptions(context.options, settings, [ep as never]);
      const device = context.probe.devices[deviceId] ?? {
        name: `${path.displayName} device ${deviceId}`,
      };
      // Threads are set only from the load option (the provider's own default otherwise).
      return loadOrtSession(path.id, model, sessionOptions, device, {
        signal: context.signal,
        threadsWhy: 'load option',
      });
    },
  };
}
