import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relevantLines } from './engine-output.js';

const recorded = (name: string) =>
  readFileSync(join(import.meta.dirname, '..', 'vulkan', '__fixtures__', name), 'utf8');

describe('relevantLines', () => {
  it("keeps Dawn's warning with its continuation, drops Mesa's noise and stack frames", () => {
    expect(relevantLines(recorded('webgpu-llvmpipe-only.stderr.txt'))).toEqual([
      'Warning: Vulkan shaderUniform*ArrayDynamicIndexing required. (While initializing adapter (backend=BackendType::Vulkan))',
    ]);
  });

  it("keeps the Vulkan loader's errors once each, whoever repeated them", () => {
    expect(relevantLines(recorded('webgpu-nvidia-icd-unloadable.stderr.txt'))).toEqual([
      'ERROR: libGLX_nvidia.so.0: cannot open shared object file: No such file or directory',
      'ERROR: loader_icd_scan: Failed loading library associated with ICD JSON libGLX_nvidia.so.0. Ignoring this JSON',
      'Warning: Vulkan shaderUniform*ArrayDynamicIndexing required. (While initializing adapter (backend=BackendType::Vulkan))',
    ]);
  });

  it("rewrites ONNX Runtime's warnings and keeps only the last lines", () => {
    const text = [
      '2026-11-30 01:31:54.05 [W:onnxruntime:ort, session_state.cc:1280 VerifyEachNodeIsAssignedToAnEp] Some nodes were not assigned to the preferred execution providers',
      ...Array.from({ length: 8 }, (_, i) => `Warning: line ${i}`),
    ].join('\n');
    expect(relevantLines(text, 3)).toEqual([
      'Warning: line 5',
      'Warning: line 6',
      'Warning: line 7',
    ]);
    expect(relevantLines(text, 20)[0]).toBe(
      'ONNX Runtime: Some nodes were not assigned to the preferred execution providers',
    );
  });
});
