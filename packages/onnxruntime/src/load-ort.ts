import { EngineMissingError } from '@npu-first/core';
import { silenceOrtTelemetry } from './telemetry.js';

/** The onnxruntime-node module, typed as its own package declares it. */
export type Ort = typeof import('onnxruntime-node');

let cached: Promise<Ort> | undefined;

/**
 * Imports onnxruntime-node on first use, so that importing a backend costs nothing and a
 * missing engine becomes a probe reason instead of a crash at start-up.
 */
export function loadOrt(): Promise<Ort> {
  // Before the import: the native library reads its telemetry switch once, as it starts.
  if (cached === undefined) silenceOrtTelemetry();
  cached ??= import('onnxruntime-node').catch((error: unknown) => {
    cached = undefined;
    throw new EngineMissingError('onnxruntime-node', 'add it with `npm install onnxruntime-node`', {
      cause: error,
    });
  });
  return cached;
}
