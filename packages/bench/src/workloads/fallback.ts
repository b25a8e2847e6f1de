import { createCpuOnnxBackend } from '@npu-first/backend-cpu';
import gpuPlugin from '@npu-first/backend-gpu/plugin';
import { createRuntime } from '@npu-first/core';
import { interleave } from '../runner/interleave.js';
import { compared, result } from '../runner/results.js';
import { pairedRatio } from '../runner/stats.js';
import { scale, type WorkloadContext } from './context.js';

/**
 * Fallback cost: a fresh runtime with every GPU backend installed (on a machine without a GPU,
 * each must be probed and passed over) loading a model until it serves on the CPU, versus a
 * fresh runtime with only the CPU backend, and versus opening the ORT session directly.
 */
export async function benchFallback(ctx: WorkloadContext, label: string, path: string) {
  const ort = (await import('onnxruntime-node')).default;
  const load = async (withGpu: boolean) => {
    const runtime = await createRuntime({
      backends: withGpu ? [gpuPlugin, createCpuOnnxBackend()] : [createCpuOnnxBackend()],
      probe: 'lazy',
      env: {},
    });
    const model = await runtime.load(path, { task: 'graph' });
    if (model.placement.backend !== 'cpu-onnxruntime') throw new Error('did not land on the CPU');
    await model.dispose();
  };
  ctx.progress(`fallback (${label}): load via GPU backends → CPU vs CPU only vs raw session`);
  const samples = await interleave(
    [
      { name: 'runtime, GPU backends → CPU', fn: () => load(true) },
      { name: 'runtime, CPU only', fn: () => load(false) },
      {
        name: 'raw session',
        fn: async () =>
          (
            await ort.InferenceSession.create(path, {
              executionProviders: ['cpu'],
              logSeverityLevel: 3,
            })
          ).release(),
      },
    ],
    {
      rounds: scale(ctx, 6, 1),
      timeMs: 200,
      iterations: 4,
      warmupMs: 100,
      warmupIterations: 2,
      onRound: (r, n) => ctx.progress(`  round ${r}/${n}`),
    },
  );
  const workload = `load ${label}`;
  const rounds = (name: string) => samples.get(name) ?? [];
  const cpuOnly = result(workload, 'runtime, CPU only', 'ms', rounds('runtime, CPU only').flat());
  const raw = result(workload, 'raw session', 'ms', rounds('raw session').flat());
  ctx.add(raw);
  ctx.add(
    compared(
      cpuOnly,
      raw,
      undefined,
      undefined,
      pairedRatio(rounds('runtime, CPU only'), rounds('raw session')),
    ),
  );
  ctx.add(
    compared(
      result(
        workload,
        'runtime, GPU backends → CPU',
        'ms',
        rounds('runtime, GPU backends → CPU').flat(),
        { note: 'fresh runtime each time: every GPU probe runs' },
      ),
      cpuOnly,
      1.1,
      '≤ 1.1× CPU-only load',
      pairedRatio(rounds('runtime, GPU backends → CPU'), rounds('runtime, CPU only')),
    ),
  );
}
