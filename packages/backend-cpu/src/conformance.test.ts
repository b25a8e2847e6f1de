import { runBackendConformance } from '@npu-first/testkit/conformance';
import { createCpuLlamaBackend } from './cpu-llama-backend.js';
import { createCpuOnnxBackend } from './cpu-onnx-backend.js';

await runBackendConformance({ backend: createCpuOnnxBackend(), requireAvailable: true });
await runBackendConformance({ backend: createCpuLlamaBackend(), requireAvailable: true });
