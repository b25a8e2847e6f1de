import { InvalidOptionError, type ShapePins } from '@npu-first/core';
import { type OrtSessionSettings, readSessionSettings } from '@npu-first/onnxruntime';
import { DEFAULT_MIN_NPU_COVERAGE } from '../op-coverage/coverage-threshold.js';

export type { ShapePins };

/**
 * `backendOptions['npu-coreml']`: the NPU options plus ONNX Runtime session settings
 * (`interOpThreads`, `executionMode`, `enableCpuMemArena`, `enableMemPattern`, `logSeverityLevel`).
 */
export interface NpuOrtOptions extends OrtSessionSettings {
  /**
   * Pins symbolic input dimensions so the NPU gets static shapes (the model's inputs then
   * have exactly these sizes). Without it, a model with symbolic dimensions is rejected
   * for this backend with the dimensions to pin.
   */
  readonly shapes?: ShapePins;
  /**
   * Least share of graph nodes that must run on the NPU, 0–1 (default 0.8, see
   * `DEFAULT_MIN_NPU_COVERAGE`). Below it the load is rejected and the chain moves on.
   */
  readonly minNpuCoverage?: number;
}

/** The NPU options read and checked; ORT settings separated out. */
export interface ReadNpuOptions {
  readonly shapes: ShapePins;
  readonly minNpuCoverage: number;
  readonly ort: OrtSessionSettings;
}

/** Validates `backendOptions[backendId]` for an ORT-based NPU backend. */
export function readNpuOrtOptions(
  backendId: string,
  raw: Readonly<Record<string, unknown>> | undefined,
  defaults: { readonly shapes?: ShapePins; readonly minNpuCoverage?: number } = {},
): ReadNpuOptions {
  const { shapes, minNpuCoverage, ...rest } = raw ?? {};
  return {
    shapes: { ...defaults.shapes, ...readShapes(backendId, shapes) },
    minNpuCoverage:
      readCoverage(backendId, minNpuCoverage) ??
      defaults.minNpuCoverage ??
      DEFAULT_MIN_NPU_COVERAGE,
    ort: readSessionSettings(backendId, rest),
  };
}

/** Validates a `shapes` option: an object of positive integer sizes. */
export function readShapes(backendId: string, value: unknown): ShapePins {
  if (value === undefined) return {};
  const option = `backendOptions.${backendId}.shapes`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(option, 'must be an object such as { batch: 1, sequence: 512 }');
  }
  for (const [dim, size] of Object.entries(value)) {
    if (!Number.isInteger(size) || (size as number) < 1) {
      throw new InvalidOptionError(
        `${option}.${dim}`,
        `must be a positive integer, got ${JSON.stringify(size)}`,
      );
    }
  }
  return value as ShapePins;
}

function readCoverage(backendId: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new InvalidOptionError(
      `backendOptions.${backendId}.minNpuCoverage`,
      `must be a number from 0 to 1, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** `backendOptions['npu-openvino']` read and checked; `defaults` from the backend's creation. */
export interface ReadOpenVinoOptions {
  readonly shapes: ShapePins;
  readonly cacheDir: string | undefined;
}

const OPENVINO_KEYS = ['shapes', 'cacheDir'];

/** Validates `backendOptions[backendId]` for the OpenVINO NPU backend: `shapes`, `cacheDir`. */
export function readOpenVinoOptions(
  backendId: string,
  raw: Readonly<Record<string, unknown>> | undefined,
  defaults: { readonly shapes?: ShapePins; readonly cacheDir?: string } = {},
): ReadOpenVinoOptions {
  const options = raw ?? {};
  for (const key of Object.keys(options)) {
    if (!OPENVINO_KEYS.includes(key)) {
      throw new InvalidOptionError(
        `backendOptions.${backendId}.${key}`,
        `unknown option (known: ${OPENVINO_KEYS.join(', ')})`,
      );
    }
  }
  const { cacheDir } = options;
  if (cacheDir !== undefined && (typeof cacheDir !== 'string' || cacheDir === '')) {
    throw new InvalidOptionError(`backendOptions.${backendId}.cacheDir`, 'must be a path');
  }
  return {
    shapes: { ...defaults.shapes, ...readShapes(backendId, options.shapes) },
    cacheDir: (cacheDir as string | undefined) ?? defaults.cacheDir,
  };
}
