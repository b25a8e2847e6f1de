import {
  type Backend,
  type CommonLoadOptions,
  messageOf,
  type ProbeResult,
  SPECIFICATION_VERSION,
} from '@npu-first/core';
import {
  createOrtModel,
  loadOrt,
  readSessionSettings,
  toSessionOptions,
} from '@npu-first/onnxruntime';
import { cpuDevice } from './cpu-device.js';

export const CPU_ONNX_BACKEND_ID = 'cpu-onnxruntime';

/** Defaults for every model this backend loads; per-load options override them. */
export interface CpuOnnxBackendOptions extends CommonLoadOptions {
  /** Priority within the CPU tier (higher first). Default 0. */
  readonly priority?: number;
}

/**
 * ONNX graphs on onnxruntime-node's CPU execution provider — the tier that always exists.
 * Per-load `backendOptions['cpu-onnxruntime']` takes ORT session settings
 * (`interOpThreads`, `executionMode`, `enableCpuMemArena`, `enableMemPattern`, `logSeverityLevel`).
 */
export function createCpuOnnxBackend(defaults: CpuOnnxBackendOptions = {}): Backend {
  const device = cpuDevice();
  return {
    specificationVersion: SPECIFICATION_VERSION,
    id: CPU_ONNX_BACKEND_ID,
    deviceKind: 'cpu',
    displayName: 'ONNX Runtime (CPU)',
    priority: defaults.priority ?? 0,
    formats: ['onnx'],
    tasks: ['graph'],
    precision: 'fp32',
    async probe(): Promise<ProbeResult> {
      try {
        const ort = await loadOrt();
        if (!ort.listSupportedBackends().some((b) => b.name === 'cpu')) {
          return {
            available: false,
            devices: [device],
            reason: 'this onnxruntime-node build has no CPU execution provider',
          };
        }
        return { available: true, devices: [device] };
      } catch (error) {
        return { available: false, devices: [device], reason: messageOf(error) };
      }
    },
    async load(model, context) {
      const settings = readSessionSettings(CPU_ONNX_BACKEND_ID, context.backendOptions);
      const common = { ...defaults, ...context.options };
      const sessionOptions = toSessionOptions(common, settings, ['cpu']);
      return createOrtModel(CPU_ONNX_BACKEND_ID, model, sessionOptions, device, context.signal);
    },
  };
}
