import { runBackendConformance } from '@npu-first/testkit';
import { createCpuOnnxBackend } from './cpu-onnx-backend.js';

await runBackendConformance({ backend: createCpuOnnxBackend(), requireAvailable: true });
