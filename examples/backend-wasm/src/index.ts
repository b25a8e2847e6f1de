export { default as plugin } from './plugin.js';
export { createWasmBackend, WASM_BACKEND_ID, type WasmBackendOptions } from './wasm-backend.js';
