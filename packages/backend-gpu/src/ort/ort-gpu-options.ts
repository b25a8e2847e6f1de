import { InvalidOptionError, type OrtSessionSettings } from '@npu-first/core';
import { readSessionSettings } from '@npu-first/onnxruntime';

/** `backendOptions[id]` of an ONNX Runtime GPU backend, read and checked. */
export interface ReadOrtGpuOptions {
  readonly deviceId: number;
  readonly settings: OrtSessionSettings;
}

/** Checks `backendOptions[backendId]`: `deviceId` plus ONNX Runtime session settings. */
export function readOrtGpuOptions(
  backendId: string,
  raw: Readonly<Record<string, unknown>> | undefined,
): ReadOrtGpuOptions {
  const { deviceId = 0, ...rest } = raw ?? {};
  if (!Number.isInteger(deviceId) || (deviceId as number) < 0) {
    throw new InvalidOptionError(
      `backendOptions.${backendId}.deviceId`,
      `expected a GPU index ≥ 0, got ${JSON.stringify(deviceId)}`,
    );
  }
  try {
    return { deviceId: deviceId as number, settings: readSessionSettings(backendId, rest) };
  } catch (error) {
    // Name deviceId among the keys this backend knows, beside the session settings.
    if (InvalidOptionError.isInstance(error) && error.reason.startsWith('unknown option (known: '))
      throw new InvalidOptionError(
        error.option,
        error.reason.replace('unknown option (known: ', 'unknown option (known: deviceId, '),
      );
    throw error;
  }
}
