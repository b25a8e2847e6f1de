import { defineBackendPlugin } from '@npu-first/core';
import { createWasmBackend } from './wasm-backend.js';

/** Declared in package.json under "npu-first": the runtime's discovery imports this. */
export default defineBackendPlugin({
  specificationVersion: 'v2',
  createBackends: () => [createWasmBackend()],
});
