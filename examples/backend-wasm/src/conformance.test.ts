import { runBackendConformance } from '@npu-first/testkit';
import { createWasmBackend } from './wasm-backend.js';

await runBackendConformance({ backend: createWasmBackend(), requireAvailable: true });
