import { availableParallelism } from 'node:os';
import {
  type CommonLoadOptions,
  didYouMean,
  InvalidOptionError,
  type OrtSessionSettings,
} from '@npu-first/core';
import type { InferenceSession } from 'onnxruntime-node';

/** ONNX Runtime session settings a backend user may pass in `backendOptions[id]` (typed in core). */
export type { OrtSessionSettings };

const SETTING_CHECKS: Readonly<Record<keyof OrtSessionSettings, (v: unknown) => boolean>> = {
  // No more than the logical cores: more only oversubscribes the machine.
  interOpThreads: (v) =>
    Number.isInteger(v) && (v as number) >= 1 && (v as number) <= availableParallelism(),
  executionMode: (v) => v === 'sequential' || v === 'parallel',
  enableCpuMemArena: (v) => typeof v === 'boolean',
  enableMemPattern: (v) => typeof v === 'boolean',
  logSeverityLevel: (v) => v === 0 || v === 1 || v === 2 || v === 3 || v === 4,
};

/**
 * Validates `backendOptions[backendId]` as ORT session settings: an unknown key (with the
 * nearest known one) or a bad value throws `InvalidOptionError` naming it. Backends call it
 * from `checkOptions`, before the chain starts, and again at load.
 */
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
        `unknown option${didYouMean(key, Object.keys(SETTING_CHECKS))} (known: ${Object.keys(SETTING_CHECKS).join(', ')})`,
      );
    }
    if (!check(value))
      throw new InvalidOptionError(
        `backendOptions.${backendId}.${key}`,
        `bad value ${JSON.stringify(value)}${key === 'interOpThreads' ? ` (expected a whole number from 1 to ${availableParallelism()}, this machine's logical cores)` : ''}`,
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
