import {
  type Backend,
  type DeviceInfo,
  InvalidOptionError,
  messageOf,
  type ProbeResult,
} from '@npu-first/core';
import {
  createOrtModel,
  loadOrt,
  readSessionSettings,
  toSessionOptions,
} from '@npu-first/onnxruntime';
import { gpuDescriptor } from '../descriptors.js';
import type { CheapLook } from '../detect/cheap-looks.js';
import { type MachineRoots, machineRoots } from '../detect/machine-roots.js';
import { currentPlatform, describePlatform } from '../detect/platform.js';
import { checkExecutionProvider } from './engine-check.js';
import { cudaInstallHint, missingLibraries } from './ort-binaries.js';

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
  /** Looks at the machine without starting the engine; absent → unavailable at once. */
  readonly cheapLook?: (roots: MachineRoots) => Promise<CheapLook>;
  /** Provider options for a device id. */
  readonly epOptions?: (deviceId: number) => Record<string, unknown>;
  /** Turns ONNX Runtime's start-up error into advice. */
  readonly explain?: (ortMessage: string) => string;
}

export interface OrtGpuBackendOptions {
  /** Fixture roots for tests; default the real system (see `machineRoots`). */
  readonly roots?: Partial<MachineRoots>;
  /** Pretend to be another platform (tests); default this process's. */
  readonly platform?: string;
}

const SETTINGS_KEYS = new Set([
  'interOpThreads',
  'executionMode',
  'enableCpuMemArena',
  'enableMemPattern',
  'logSeverityLevel',
]);

/**
 * Builds a GPU backend for one ONNX Runtime execution provider. Its probe goes from cheap to
 * certain — the platform's build, the machine (driver files, render nodes), the provider's
 * libraries, then the engine starting the provider on a tiny model — and stops at the first
 * thing missing, saying what it was. ONNX Runtime throws instead of falling back when a
 * provider cannot start; each provider being its own backend lets the chain fall back.
 * `backendOptions[id]`: `deviceId` plus ONNX Runtime session settings.
 */
export function createOrtGpuBackend(path: OrtGpuPath, options: OrtGpuBackendOptions = {}): Backend {
  const roots = machineRoots(options.roots);
  const platform = options.platform ?? currentPlatform();
  let devices: readonly DeviceInfo[] = [];
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
        const look = path.cheapLook ? await path.cheapLook(roots) : { devices: [] };
        devices = look.devices;
        if (look.absent) return { available: false, devices, reason: look.absent };
        const ort = await loadOrt();
        if (!ort.listSupportedBackends().some((b) => b.name === path.ep)) {
          return {
            available: false,
            devices,
            reason: `this onnxruntime-node build has no ${path.ep} execution provider`,
          };
        }
        const missing = missingLibraries(path.requiredLibraries ?? []);
        if (missing.length > 0) {
          return {
            available: false,
            devices,
            reason: `${path.displayName} execution provider libraries are not installed (${missing.join(', ')} missing): ${cudaInstallHint()}`,
          };
        }
        const failure = await checkExecutionProvider(path.ep, path.epOptions?.(0));
        if (failure !== undefined) {
          return {
            available: false,
            devices,
            reason: path.explain
              ? path.explain(failure)
              : `${path.displayName} failed to start: ${failure}`,
          };
        }
        return {
          available: true,
          devices: devices.length > 0 ? devices : [{ name: `${path.displayName} device 0` }],
        };
      } catch (error) {
        return { available: false, devices, reason: messageOf(error) };
      }
    },
    async load(model, context) {
      const { deviceId = 0, ...rest } = (context.backendOptions ?? {}) as {
        deviceId?: unknown;
      } & Record<string, unknown>;
      if (!Number.isInteger(deviceId) || (deviceId as number) < 0) {
        throw new InvalidOptionError(
          `backendOptions.${path.id}.deviceId`,
          `expected a GPU index ≥ 0, got ${String(deviceId)}`,
        );
      }
      for (const key of Object.keys(rest)) {
        if (!SETTINGS_KEYS.has(key)) {
          throw new InvalidOptionError(
            `backendOptions.${path.id}.${key}`,
            `unknown option (known: deviceId, ${[...SETTINGS_KEYS].join(', ')})`,
          );
        }
      }
      const settings = readSessionSettings(path.id, rest);
      const ep = { name: path.ep, ...(path.epOptions?.(deviceId as number) ?? {}) };
      const sessionOptions = toSessionOptions(context.options, settings, [ep as never]);
      const device = context.probe.devices[deviceId as number] ?? {
        name: `${path.displayName} device ${deviceId}`,
      };
      return createOrtModel(path.id, model, sessionOptions, device, context.signal);
    },
  };
}
