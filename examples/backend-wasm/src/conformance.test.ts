import { runBackendConformance } from '@npu-first/testkit/conformance';
import { createWasmBackend } from './wasm-backend.js';

await runBackendConformance({ backend: createWasmBackend(), requireAvailable: true });
