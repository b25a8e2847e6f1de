import { createRuntime } from '@npu-first/core';
import { BENCH_ROOT } from '../models.js';
import { runChild } from '../runner/child-process.js';
import { interleave } from '../runner/interleave.js';
import { result, withLimit } from '../runner/results.js';
import { summarize } from '../runner/stats.js';
import { scale, type WorkloadContext } from './context.js';

/**
 * Discovery + probing of every installed backend (CPU and GPU packages: ONNX Runtime and
 * llama.cpp paths): cold in fresh processes (engines not yet imported), and warm — a second
 * runtime in a process that has done it once (engines imported, llama.cpp builds loaded).
 */
export async function benchDiscovery(ctx: WorkloadContext): Promise<void> {
  const repeats = scale(ctx, 5, 1);
  ctx.progress(`discovery + probing: ${repeats} fresh processes`);
  const cold: number[] = [];
  const found: number[] = [];
  const probes = new Map<string, number[]>();
  for (let i = 0; i < repeats; i++) {
    const r = await runChild('discovery', { root: BENCH_ROOT });
    cold.push(r.coldMs as number);
    found.push(r.discoveredMs as number);
    for (const [k, v] of Object.entries(r)) {
      if (k.startsWith('probe:')) probes.set(k.slice(6), [...(probes.get(k.slice(6)) ?? []), v]);
    }
    ctx.progress(`  process ${i + 1}/${repeats}`);
  }
  const slowest = [...probes.entries()]
    .map(([id, v]) => [id, summarize(v).median] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([id, ms]) => `${id} ${ms.toFixed(1)} ms`)
    .join(', ');
  ctx.add(
    withLimit(
      result('discovery+probing', 'cold (fresh process)', 'ms', cold, {
        note: `${probes.size} backends; slowest probes: ${slowest}`,
      }),
      50,
      '≤ 50 ms',
    ),
  );
  ctx.add(
    result('discovery+probing', 'discovery only (cold)', 'ms', found, {
      note: 'find packages, import plugins; probes start after',
    }),
  );
  ctx.progress('discovery + probing, warm (in process)');
  const warm = await interleave(
    [
      {
        name: 'warm',
        fn: async () => (await createRuntime({ roots: [BENCH_ROOT], env: {} })).backends(),
      },
    ],
    { rounds: scale(ctx, 3, 1), timeMs: 300, iterations: 20, warmupMs: 100, warmupIterations: 3 },
  );
  ctx.add(
    withLimit(
      result('discovery+probing', 'warm (second runtime)', 'ms', (warm.get('warm') ?? []).flat(), {
        note: 'engines imported, llama.cpp builds loaded: module-level caches',
      }),
      5,
      '≤ 5 ms',
    ),
  );
}
