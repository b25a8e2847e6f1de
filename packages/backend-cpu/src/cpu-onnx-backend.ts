import type { BackendV2, CommonLoadOptions, ModelDescriptor, ProbeResult } from '@npu-first/core';
import {
  type CpuTopology,
  checkOrtInstall,
  chooseIntraOpThreads,
  loadOrt,
  loadOrtSession,
  ortVersion,
  readCpuTopology,
  readSessionSettings,
  readTuning,
  toSessionOptions,
  tuningCachePath,
  tuningKey,
} from '@npu-first/onnxruntime';
import { cpuDevice } from './cpu-device.js';
import { CPU_ONNX_BACKEND_ID, CPU_ONNX_DESCRIPTOR } from './descriptors.js';

let cpu: CpuTopology | undefined;
/** The machine's topology, read once per process. */
function topology(): CpuTopology {
  cpu ??= readCpuTopology();
  return cpu;
}

/** Threads a calibration (`calibrateIntraOpThreads`) stored for this model on this machine. */
async function cachedThreads(model: ModelDescriptor): Promise<number | undefined> {
  const path = tuningCachePath();
  if (path === undefined) return undefined;
  try {
    const key = await tuningKey(
      CPU_ONNX_BACKEND_ID,
      ortVersion(await loadOrt()),
      topology(),
      model,
    );
    return (await readTuning(key, path))?.intraOpThreads;
  } catch {
    return undefined;
  }
}

/** Defaults for every model this backend loads; per-load options override them. */
export interface CpuOnnxBackendOptions extends CommonLoadOptions {
  /** Priority within the CPU tier (higher first). Default 0. */
  readonly priority?: number;
}

/**
 * ONNX graphs on onnxruntime-node's CPU execution provider — the tier that always exists.
 * Intra-op threads default to what suits this model on this machine (`chooseIntraOpThreads`:
 * a calibration stored in the tuning cache, else at most two for small models, else one per
 * physical core); `model.placement.details.threads` says how many and why.
 * Per-load `backendOptions['cpu-onnxruntime']` takes ORT session settings
 * (`interOpThreads`, `executionMode`, `enableCpuMemArena`, `enableMemPattern`, `logSeverityLevel`).
 */
export function createCpuOnnxBackend(defaults: CpuOnnxBackendOptions = {}): BackendV2 {
  const device = cpuDevice();
  return {
    ...CPU_ONNX_DESCRIPTOR,
    specificationVersion: 'v2',
    priority: defaults.priority ?? 0,
    // A cheap look (the binding file), not an import of the engine: the first load imports it.
    async probe(): Promise<ProbeResult> {
      const install = checkOrtInstall();
      return install.ok
        ? { available: true, devices: [device], engine: `onnxruntime-node ${install.version}` }
        : { available: false, devices: [device], reason: install.reason };
    },
    async load(model, context) {
      const settings = readSessionSettings(CPU_ONNX_BACKEND_ID, context.backendOptions);
      const option = context.options.threads;
      const cached =
        option === undefined && defaults.threads === undefined
          ? await cachedThreads(model)
          : undefined;
      const choice = chooseIntraOpThreads({
        option,
        backendDefault: defaults.threads,
        cached,
        modelBytes: model.sizeBytes,
        cpu: topology(),
      });
      const common = { ...defaults, ...context.options, threads: choice.threads };
      const sessionOptions = toSessionOptions(common, settings, ['cpu']);
      return loadOrtSession(CPU_ONNX_BACKEND_ID, model, sessionOptions, device, {
        signal: context.signal,
        threadsWhy: choice.source,
      });
    },
  };
}
