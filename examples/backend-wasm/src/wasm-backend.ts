import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BackendLoadError,
  type BackendV2,
  CorruptModelError,
  EngineMissingError,
  type LoadedSession,
  messageOf,
  type ProbeResult,
} from '@npu-first/core';
import { WasmGraphSession } from './wasm-graph-session.js';

export const WASM_BACKEND_ID = 'cpu-onnxruntime-web';

/** onnxruntime-web's version, found the way its `import()` will resolve it; undefined when absent. */
function installedVersion(): string | undefined {
  try {
    let dir = dirname(fileURLToPath(import.meta.resolve('onnxruntime-web')));
    for (; dir !== dirname(dir); dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'onnxruntime-web') return pkg.version ?? 'unknown';
    }
    return 'unknown';
  } catch {
    return undefined;
  }
}

export interface WasmBackendOptions {
  /** WebAssembly threads (onnxruntime-web's `env.wasm.numThreads`). Default 1. */
  readonly threads?: number;
  /** Within the CPU tier. Default −10: the native CPU backend, when installed, goes first. */
  readonly priority?: number;
}

const DEVICE = {
  name: 'WebAssembly (onnxruntime-web)',
  vendor: 'any',
  details: { engine: 'onnxruntime-web' },
};

/**
 * ONNX graphs on onnxruntime-web's WebAssembly backend. Slower than native code, but it
 * needs no binary for the platform: it serves where onnxruntime-node has no build.
 */
export function createWasmBackend(options: WasmBackendOptions = {}): BackendV2 {
  const threads = options.threads ?? 1;
  const loadOrt = async () => {
    try {
      const ort = await import('onnxruntime-web');
      ort.env.wasm.numThreads = threads;
      return ort;
    } catch (error) {
      throw new EngineMissingError('onnxruntime-web', 'add it with `npm install onnxruntime-web`', {
        cause: error,
      });
    }
  };
  return {
    specificationVersion: 'v2',
    id: WASM_BACKEND_ID,
    deviceKind: 'cpu',
    displayName: 'ONNX Runtime Web (WebAssembly)',
    priority: options.priority ?? -10,
    formats: ['onnx'],
    tasks: ['graph'],
    precision: 'fp32',
    // A cheap look (is the engine installed, which version), not an import: onnxruntime-web
    // takes ~40 ms to import, and the runtime probes every installed backend at start-up.
    // The engine is imported on the first load.
    async probe(): Promise<ProbeResult> {
      if (typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== 'object') {
        return {
          available: false,
          devices: [],
          reason: 'this JavaScript runtime has no WebAssembly',
        };
      }
      const version = installedVersion();
      return version === undefined
        ? {
            available: false,
            devices: [],
            reason: 'onnxruntime-web is not installed: add it with `npm install onnxruntime-web`',
          }
        : { available: true, devices: [DEVICE], engine: `onnxruntime-web ${version}` };
    },
    async load(model): Promise<LoadedSession> {
      const ort = await loadOrt();
      const bytes = model.bytes ?? new Uint8Array(await readFile(model.path as string));
      try {
        const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
        return {
          task: 'graph',
          session: new WasmGraphSession(ort, session, WASM_BACKEND_ID),
          device: DEVICE,
          // What this backend knows: the threads it gave the engine, and the engine's backend.
          details: {
            threads: {
              count: threads,
              why: options.threads === undefined ? 'backend default' : 'backend option threads',
            },
            engineDevice: 'onnxruntime-web wasm',
          },
        };
      } catch (error) {
        const message = messageOf(error);
        if (/protobuf parsing failed|ERROR_CODE: 7/i.test(message)) {
          throw new CorruptModelError(model.name, `onnxruntime-web cannot parse it (${message})`, {
            cause: error,
          });
        }
        throw new BackendLoadError(WASM_BACKEND_ID, message, { cause: error });
      }
    },
  };
}
