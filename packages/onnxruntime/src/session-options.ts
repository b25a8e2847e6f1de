import {
  type CommonLoadOptions,
  InvalidOptionError,
  type OrtSessionSettings,
} from '@npu-first/core';
import type { InferenceSession } from 'onnxruntime-node';

/** ONNX Runtime session settings a backend user may pass in `backendOptions[id]` (typed in core). */
export type { OrtSessionSettings };

const SETTING_CHECKS: Readonly<Record<keyof OrtSessionSettings, (v: unknown) => boolean>> = {
  interOpThreads: (v) => Number.isInteger(v) && (v as number) >= 1,
  executionMode: (v) => v === 'sequential' || v === 'parallel',
  enableCpuMemArena: (v) => typeof v === 'boolean',
  enableMemPattern: (v) => typeof v === 'boolean',
  logSeverityLevel: (v) => v === 0 || v === 1 || v === 2 || v === 3 || v === 4,
};

/** Validates `backendOptions[backendId]` as ORT session settings. */
export function readSessionSettings(
  backendId: string,
  raw: Readonly<Record<string, unknown>> | undefined,
): OrtSessionSettings {
  if (raw === undefined) return {};
  for (const [key, value] of Object.entries(raw)) {
    const check = SETTING_CHECKS[key as keyof OrtSessionSettings];
    if (!check) {
      throw new InvalidOptionError(
        `backendOptions.${backendId}.${key}`,
        `unknown option (known: ${Object.keys(SETTING_CHECKS).join(', ')})`,
      );
    }
    if (!check(value))
      throw new InvalidOptionError(
        `backendOptions.${backendId}.${key}`,
        `bad value ${JSON.stringify(value)}`,
      );
  }
  return raw as OrtSessionSettings;
}

/** Builds ORT session options from the common options, settings and execution providers. */
export function toSessionOptions(
  common: CommonLoadOptions,
  settings: OrtSessionSettings,
  executionProviders: InferenceSession.SessionOptions['executionProviders'],
): InferenceSession.SessionOptions {
  return {
    executionProviders,
    logSeverityLevel: settings.logSeverityLevel ?? 3,
    ...(common.threads !== undefined ? { intraOpNumThreads: common.threads } : {}),
    ...(settings.interOpThreads !== undefined
      ? { interOpNumThreads: settings.interOpThreads }
      : {}),
    ...(common.graphOptimizationLevel
      ? { graphOptimizationLevel: common.graphOptimizationLevel }
      : {}),
    ...(settings.executionMode ? { executionMode: settings.executionMode } : {}),
    ...(settings.enableCpuMemArena !== undefined
      ? { enableCpuMemArena: settings.enableCpuMemArena }
      : {}),
    ...(settings.enableMemPattern !== undefined
      ? { enableMemPattern: settings.enableMemPattern }
      : {}),
  };
}
