import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultLlamaThreads } from '@npu-first/backend-cpu';
import { silenceOrtTelemetry } from '@npu-first/onnxruntime';
import { benchFeeds } from './feeds.js';
import { paddleDetPath, sileroPath, tinyGgufPath } from './models.js';
import {
  ALL_WORKLOADS,
  type BenchEnvironment,
  type BenchReport,
  type BenchResult,
  type RunBenchmarksOptions,
  type WorkloadId,
} from './types.js';
import { benchColdStart } from './workloads/cold-start.js';
import type { WorkloadContext } from './workloads/context.js';
import { benchDiscovery } from './workloads/discovery.js';
import { benchFallback } from './workloads/fallback.js';
import { benchLlm } from './workloads/llm.js';
import { benchMemory } from './workloads/memory.js';
import { benchOrtGraph } from './workloads/ort-graph.js';
import { benchSelection } from './workloads/selection.js';

const require = createRequire(import.meta.url);

/**
 * Runs the benchmarks: each workload measures the runtime side by side with the raw engine in
 * one interleaved run (or alternating fresh processes for cold start and memory) and adds its
 * results. With `model`, benchmarks that model instead of the bundled ones.
 */
export async function runBenchmarks(options: RunBenchmarksOptions = {}): Promise<BenchReport> {
  // The raw-engine baselines import onnxruntime-node directly, here and in child processes
  // (which inherit the environment): they get ORT's telemetry switch as the runtime does.
  silenceOrtTelemetry();
  const started = performance.now();
  const results: BenchResult[] = [];
  const ctx: WorkloadContext = {
    quick: options.quick ?? false,
    progress: options.onProgress ?? (() => {}),
    add: (r) => results.push(r),
  };
  const userFormat = options.model
    ? options.model.toLowerCase().endsWith('.gguf')
      ? 'gguf'
      : 'onnx'
    : undefined;
  const fits = (id: WorkloadId) =>
    userFormat === undefined ||
    (userFormat === 'gguf' ? id === 'llm' || id === 'memory' : id !== 'llm');
  const wanted = (options.workloads ?? ALL_WORKLOADS).filter(fits);
  const has = (id: WorkloadId) => wanted.includes(id);
  const onnx = options.model && userFormat === 'onnx' ? options.model : undefined;
  const label = (path: string) => path.split(/[\\/]/).at(-1) ?? path;

  if (onnx) {
    if (has('silero') || has('paddle-det'))
      await benchOrtGraph(ctx, {
        label: `${label(onnx)} run`,
        path: onnx,
        overheadTarget: 1.02,
      });
  } else {
    if (has('silero'))
      await benchOrtGraph(ctx, {
        label: 'silero-vad run',
        path: sileroPath(),
        overheadTarget: 1.02,
        heavy: false,
      });
    if (has('paddle-det'))
      await benchOrtGraph(ctx, {
        label: 'paddleocr-det 640² run',
        path: paddleDetPath(),
        overheadTarget: 1.005,
        heavy: true,
      });
  }
  const coldModel = onnx ?? sileroPath();
  if (has('cold-start') && userFormat !== 'gguf')
    await benchColdStart(ctx, onnx ? label(onnx) : 'silero-vad', coldModel);
  if (has('discovery')) await benchDiscovery(ctx);
  if (has('fallback') && userFormat !== 'gguf')
    await benchFallback(ctx, onnx ? label(onnx) : 'silero-vad', coldModel);
  let gguf: string | undefined;
  if (has('llm') || (has('memory') && userFormat !== 'onnx')) {
    gguf = userFormat === 'gguf' ? options.model : await tinyGgufPath();
  }
  if (has('llm') && gguf)
    await benchLlm(ctx, userFormat === 'gguf' ? label(gguf) : 'tiny-llama', gguf);
  if (has('memory')) {
    if (userFormat !== 'gguf') {
      const threads = availableParallelism();
      if (onnx)
        await benchMemory(ctx, { label: label(onnx), path: onnx, kind: 'ort', threads, runs: 5 });
      else {
        await benchMemory(ctx, {
          label: 'silero-vad',
          path: sileroPath(),
          kind: 'ort',
          threads,
          runs: 200,
        });
        await benchMemory(ctx, {
          label: 'paddleocr-det',
          path: paddleDetPath(),
          kind: 'ort',
          threads,
          runs: 3,
        });
      }
    }
    if (gguf)
      await benchMemory(ctx, {
        label: userFormat === 'gguf' ? label(gguf) : 'tiny-llama',
        path: gguf,
        kind: 'llama',
        threads: defaultLlamaThreads(),
      });
  }
  if (has('selection') && userFormat !== 'gguf') {
    const models = onnx
      ? [{ label: label(onnx), path: onnx }]
      : [
          { label: 'silero-vad', path: sileroPath(), heavy: false },
          ...(options.quick
            ? []
            : [{ label: 'paddleocr-det 640²', path: paddleDetPath(), heavy: true }]),
        ];
    await benchSelection(ctx, await Promise.all(models.map(withFeeds)));
  }
  // A quick run has too few samples for its ratios to judge a target either way.
  const judged = options.quick
    ? results.map((r) => (r.target ? { ...r, target: { ...r.target, met: null } } : r))
    : results;
  return { results: judged, environment: environment(performance.now() - started) };
}

function environment(durationMs: number): BenchEnvironment {
  // Some engines export no `./package.json`: find it above their entry point instead.
  const version = (name: string) => {
    try {
      let dir = dirname(require.resolve(name));
      while (dir !== dirname(dir)) {
        const file = join(dir, 'package.json');
        if (existsSync(file)) {
          const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
          if (pkg.name === name) return pkg.version ?? 'unknown';
        }
        dir = dirname(dir);
      }
      return 'unknown';
    } catch {
      return 'not installed';
    }
  };
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    logicalCores: availableParallelism(),
    onnxruntime: version('onnxruntime-node'),
    nodeLlamaCpp: version('node-llama-cpp'),
    durationMs,
  };
}

/** A model with the inputs the other workloads feed it, and whether its runs are heavy (≥ 5 ms). */
async function withFeeds(m: { label: string; path: string; heavy?: boolean }) {
  const { createRuntime } = await import('@npu-first/core');
  const { createCpuOnnxBackend } = await import('@npu-first/backend-cpu');
  const runtime = await createRuntime({ backends: [createCpuOnnxBackend()], env: {} });
  const model = await runtime.load(m.path, { task: 'graph' });
  const feeds = benchFeeds(model.inputs);
  let heavy = m.heavy;
  if (heavy === undefined) {
    const t0 = performance.now();
    await model.run(feeds);
    heavy = performance.now() - t0 >= 5;
  }
  await model.dispose();
  return { label: m.label, path: m.path, feeds, heavy };
}
