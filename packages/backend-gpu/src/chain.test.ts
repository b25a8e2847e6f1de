import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cpuPlugin from '@npu-first/backend-cpu/plugin';
import { type Attempt, createRuntime } from '@npu-first/core';
import { buildMlp, writeTinyLlamaGguf } from '@npu-first/testkit';
import { describe, expect, it } from 'vitest';
import gpuPlugin from './plugin.js';

const rows = (attempts: readonly Attempt[]) => attempts.map((a) => [a.backend, a.outcome]);

/** With the GPU backend installed on a machine that has no GPU, models end on the CPU. */
describe.runIf(process.platform === 'linux' && process.arch === 'x64')(
  'the GPU tier falling back to the CPU',
  () => {
    it('an ONNX model: one unavailable attempt per ONNX Runtime GPU path, each with its reason', async () => {
      const runtime = await createRuntime({
        backends: [gpuPlugin, cpuPlugin],
        env: {},
        probe: 'lazy',
      });
      const model = await runtime.load(buildMlp().bytes, { task: 'graph' });
      const { attempts } = model.placement;
      // GPU paths in priority order (ties by id); the llama.cpp ones take GGUF only.
      expect(rows(attempts)).toEqual([
        [null, 'unavailable'],
        ['gpu-llamacpp-metal', 'rejected'],
        ['gpu-onnxruntime-tensorrt', 'unavailable'],
        ['gpu-llamacpp-cuda', 'rejected'],
        ['gpu-onnxruntime-cuda', 'unavailable'],
        ['gpu-onnxruntime-dml', 'unavailable'],
        ['gpu-onnxruntime-coreml', 'unavailable'],
        ['gpu-llamacpp-vulkan', 'rejected'],
        ['gpu-onnxruntime-webgpu', 'unavailable'],
        ['cpu-llamacpp', 'rejected'],
        ['cpu-onnxruntime', 'selected'],
      ]);
      const reason = (id: string) => attempts.find((a) => a.backend === id)?.reason;
      expect(reason('gpu-onnxruntime-cuda')).toMatch(/^no NVIDIA GPU/);
      expect(reason('gpu-onnxruntime-webgpu')).toMatch(
        /^no GPU that Vulkan could reach: no DRM render node|^WebGPU could not get a GPU adapter/,
      );
      expect(reason('gpu-onnxruntime-dml')).toMatch(/Windows/);
      await model.dispose();
    });

    it('a GGUF model: one unavailable attempt per llama.cpp GPU build, then the CPU', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'npu-first-gpu-chain-'));
      const runtime = await createRuntime({
        backends: [gpuPlugin, cpuPlugin],
        env: {},
        probe: 'lazy',
      });
      const model = await runtime.load(await writeTinyLlamaGguf(dir), { task: 'text-generation' });
      const gpu = model.placement.attempts.filter(
        (a) => a.deviceKind === 'gpu' && a.outcome === 'unavailable',
      );
      expect(gpu.map((a) => a.backend)).toEqual([
        'gpu-llamacpp-metal',
        'gpu-llamacpp-cuda',
        'gpu-llamacpp-vulkan',
      ]);
      for (const a of gpu) expect(a.reason.length).toBeGreaterThan(20);
      expect(model.placement.backend).toBe('cpu-llamacpp');
      expect((await model.generate('hello', { maxTokens: 4 })).stats.generatedTokens).toBe(4);
      await model.dispose();
    });
  },
);
