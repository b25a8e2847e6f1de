import { EngineMissingError } from '@npu-first/core';
import type { OvAddon } from './openvino-api.js';

/** How to add the optional peer; its install step downloads the OpenVINO runtime. */
export const OPENVINO_INSTALL =
  'add it with `npm install openvino-node` (its install step downloads the OpenVINO runtime, about 100 MB)';

let cached: Promise<OvAddon> | undefined;

/**
 * Imports openvino-node on first use. It is an optional peer: an application that never
 * targets an Intel NPU never installs it, and its absence becomes a probe reason.
 */
export function loadOpenVino(): Promise<OvAddon> {
  // A variable specifier keeps TypeScript and bundlers from requiring the optional peer.
  const specifier = 'openvino-node';
  cached ??= (import(specifier) as Promise<Record<string, unknown>>).then(
    (mod) => {
      const addon = (mod.addon ?? (mod.default as Record<string, unknown> | undefined)?.addon) as
        | OvAddon
        | undefined;
      if (!addon || typeof addon.Core !== 'function') {
        throw new EngineMissingError(
          'openvino-node',
          `its module has no addon.Core; ${OPENVINO_INSTALL}`,
        );
      }
      return addon;
    },
    (error: unknown) => {
      cached = undefined;
      throw new EngineMissingError('openvino-node', OPENVINO_INSTALL, { cause: error });
    },
  );
  return cached;
}
