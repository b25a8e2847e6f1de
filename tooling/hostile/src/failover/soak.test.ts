import { createCpuOnnxBackend } from '@npu-first/backend-cpu';
import { createRuntime, type DeviceKind, type Tensor } from '@npu-first/core';
import { expect, it } from 'vitest';
import { SILERO_PATH } from '../options/silero-model.js';
import { faultyBackend } from './__fixtures__/faulty-backend.js';
import { cpuReference, FIRST, feedsFor, plain } from './silero-cases.js';

/** Runs in all (SOAK_RUNS overrides; the full 10 000 take ~10 s on 2 cores). */
const RUNS = Number(process.env.SOAK_RUNS ?? 10_000);
const IN_FLIGHT = 64;
/** The model is loaded afresh this often, so the accelerators fail again and again. */
const RUNS_PER_LOAD = 1_000;
const VARIANTS = 16;

/** A seeded generator, so a failing soak can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

it(`soak: ${RUNS} Silero runs, ${IN_FLIGHT} in flight, faults injected at random`, async () => {
  const reference = await cpuReference(Array.from({ length: VARIANTS }, (_, i) => i));
  const expected = new Map([...reference].map(([id, out]) => [id, plain(out)]));
  const rand = random(1234);
  const ids = new WeakMap<object, number>();
  const answered = new Map<number, number>();
  const onRun = (feeds: object, _backend: string, outcome: 'ok' | 'failed') => {
    if (outcome !== 'ok') return;
    const id = ids.get(feeds) as number;
    answered.set(id, (answered.get(id) ?? 0) + 1);
  };
  // Three fixture accelerators, each losing its device at a random run of each load.
  const kinds: DeviceKind[] = ['npu', 'gpu', 'gpu'];
  let failAt = kinds.map(() => 0);
  const accelerators = kinds.map((kind, i) =>
    faultyBackend(createCpuOnnxBackend({ threads: 1 }), `${kind}-fixture-${i}`, kind, {
      run: (n) => (n >= (failAt[i] as number) ? 'fail' : undefined),
      onRun,
    }),
  );
  const cpu = faultyBackend(createCpuOnnxBackend({ threads: 1 }), 'cpu-fixture', 'cpu', { onRun });
  const runtime = await createRuntime({
    backends: [...accelerators, cpu],
    policy: FIRST,
    env: {},
    circuitBreaker: false, // every load starts on the first accelerator again
  });
  const rssBefore = process.memoryUsage().rss;
  let wrong = 0;
  let failed = 0;
  let moves = 0;
  for (let first = 0; first < RUNS; first += RUNS_PER_LOAD) {
    // Fail points counted in engine runs since the runtime started (the fixtures count on).
    failAt = accelerators.map((a) => a.stats.runs + 1 + Math.floor(rand() * 300));
    const model = await runtime.load(SILERO_PATH, { task: 'graph' });
    model.on('failover', () => moves++);
    const last = Math.min(first + RUNS_PER_LOAD, RUNS);
    let next = first;
    const worker = async () => {
      while (next < last) {
        const id = next++;
        const feeds = feedsFor(id % VARIANTS);
        ids.set(feeds, id);
        try {
          const out: Record<string, Tensor> = await model.run(feeds);
          const same = JSON.stringify(plain(out)) === JSON.stringify(expected.get(id % VARIANTS));
          if (!same) wrong++;
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    await model.dispose();
  }
  const growthMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  console.log(
    `soak: ${RUNS} runs, ${moves} failovers, ${failed} lost, ${wrong} wrong, RSS growth ${growthMb.toFixed(1)} MB`,
  );
  expect(failed).toBe(0);
  expect(wrong).toBe(0);
  expect(answered.size).toBe(RUNS);
  expect([...answered.values()].filter((n) => n !== 1)).toEqual([]);
  expect(moves).toBeGreaterThanOrEqual(RUNS / RUNS_PER_LOAD); // faults really happened
  expect(growthMb).toBeLessThan(200);
  expect(accelerators.every((a) => a.stats.disposedWhileRunning === 0)).toBe(true);
}, 120_000);
