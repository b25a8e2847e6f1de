import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NpuFirstError } from '../errors/base.js';
import type { Attempt } from '../placement/placement.js';
import { createRuntime } from '../runtime/create-runtime.js';
import type { PlacedGraphModel } from '../runtime/placed-model.js';
import type { Backend } from '../spec/backend.js';
import { tensor } from '../spec/tensor.js';
import {
  backend,
  jsBackend,
  MINIMAL_ONNX,
  rejecting,
  timedBackend,
} from './__fixtures__/test-backends.js';

/**
 * Measured selection with JavaScript backends whose "devices" take a set time a run: the
 * chain's logic (candidates, trial, decision, cache, trace) on timings that cannot be mistaken.
 * Real engines are timed the same way in backend-cpu's and the wasm example's tests.
 */
const off = { NPU_FIRST_PLACEMENT_CACHE: 'off' };
const rows = (attempts: readonly Attempt[]) => attempts.map((a) => [a.backend, a.outcome]);
type LoadOptions = Parameters<Awaited<ReturnType<typeof createRuntime>>['load']>[1];
const load = async (
  backends: Backend[],
  options: LoadOptions = {},
  env: Record<string, string> = off,
): Promise<PlacedGraphModel> =>
  (await createRuntime({ env, backends })).load(MINIMAL_ONNX, { ...options, task: 'graph' });

describe('measured selection', () => {
  it('passes over a preferred GPU that is far slower than the CPU, with the figures', async () => {
    const gpu = { loads: 0, disposed: 0 };
    const model = await load([
      timedBackend('gpu-slow', 'gpu', { delayMs: 8 }, gpu),
      jsBackend('cpu-js', 'cpu'),
    ]);
    const { placement } = model;
    expect(placement.backend).toBe('cpu-js');
    expect(rows(placement.attempts)).toEqual([
      [null, 'unavailable'],
      ['gpu-slow', 'passed-over'],
      ['cpu-js', 'selected'],
    ]);
    const slow = placement.attempts[1] as Attempt;
    expect(slow.reason).toMatch(
      /^runs on gpu-slow device: [\d.]+ ms a run against [\d.]+ ms on cpu-js \(\d+× slower; a GPU is kept up to 1\.25×\)$/,
    );
    expect(slow.measurement).toMatchObject({ source: 'trial', outputs: 'agree' });
    expect(slow.measurement?.msPerRun).toBeGreaterThan(7);
    expect(placement.attempts[2]?.reason).toMatch(
      /^runs on cpu-js device: [\d.]+ ms a run, the fastest measured$/,
    );
    expect(placement.selection).toMatchObject({
      objective: 'preferred',
      method: 'trial',
      tolerance: 1.25,
      inputs: 'x float32 [1]',
      guessed: { n: 1 },
    });
    expect(gpu).toEqual({ loads: 1, disposed: 1 }); // the loser is released
    const out = await model.run({ x: tensor('float32', new Float32Array([1]), [1]) });
    expect(Array.from(out.y?.data as Float32Array)).toEqual([2]);
  });

  it('keeps the preferred backend when it is slower only within its tolerance', async () => {
    const backends = () => [
      timedBackend('gpu-a', 'gpu', { delayMs: 10 }),
      timedBackend('cpu-b', 'cpu', { delayMs: 5 }),
    ];
    const kept = await load(backends(), { policy: { tolerance: 4 } });
    expect(kept.placement.backend).toBe('gpu-a');
    expect(rows(kept.placement.attempts).slice(1)).toEqual([
      ['gpu-a', 'selected'],
      ['cpu-b', 'passed-over'],
    ]);
    expect(kept.placement.attempts[1]?.reason).toMatch(
      /slower; a GPU is kept up to 4×, and the policy prefers it\)$/,
    );
    expect(kept.placement.attempts[2]?.reason).toMatch(/the fastest measured$/);
    // The default tolerance for a GPU (1.25×) does not cover 2×; `latency` takes the fastest.
    expect((await load(backends())).placement.backend).toBe('cpu-b');
    expect(
      (await load(backends(), { policy: { selection: 'latency', tolerance: 4 } })).placement
        .backend,
    ).toBe('cpu-b');
  });

  it('keeps an NPU up to 2× slower than the CPU by default', async () => {
    const model = await load([
      timedBackend('npu-a', 'npu', { delayMs: 7 }),
      timedBackend('cpu-b', 'cpu', { delayMs: 5 }),
    ]);
    expect(model.placement.backend).toBe('npu-a');
    expect(model.placement.selection.tolerance).toBe(2);
  });

  it('times one candidate per device kind after the preferred one, stopping at the CPU tier', async () => {
    const log = { loads: 0, disposed: 0 };
    const model = await load([
      timedBackend('npu-a', 'npu', { delayMs: 4 }),
      timedBackend('npu-b', 'npu', {}),
      timedBackend('gpu-a', 'gpu', {}),
      timedBackend('gpu-b', 'gpu', {}, log),
      jsBackend('cpu-a', 'cpu'),
      timedBackend('cpu-b', 'cpu', {}, log),
    ]);
    const timed = model.placement.attempts.filter((a) => a.measurement).map((a) => a.backend);
    expect(timed).toEqual(['npu-a', 'npu-b', 'gpu-a', 'cpu-a']);
    expect(log.loads).toBe(0);
    expect(model.placement.attempts.map((a) => a.backend)).not.toContain('cpu-b');
  });

  it('passes over a candidate whose runs throw, hang, or give different outputs', async () => {
    const cases: [Backend, RegExp][] = [
      [
        timedBackend('gpu-x', 'gpu', { throws: 'device lost' }),
        // Core's lifecycle types the engine's untyped error as RUN_FAILED.
        /^runs on gpu-x device, but a trial run failed: Inference on gpu-x failed: device lost$/,
      ],
      [
        timedBackend('gpu-x', 'gpu', { hang: true }),
        /^runs on gpu-x device, but a trial run failed: .*did not finish within 50 ms/,
      ],
      [
        timedBackend('gpu-x', 'gpu', { add: 3 }),
        /^runs on gpu-x device, but its outputs differ from cpu-js's: output y differs from the reference by .* \(relative L2; over 0\.5 is a wrong result, not rounding\)$/,
      ],
    ];
    for (const [faulty, reason] of cases) {
      const model = await load([faulty, jsBackend('cpu-js', 'cpu')], {
        trial: { runTimeoutMs: 50 },
      });
      expect(model.placement.backend).toBe('cpu-js');
      const attempt = model.placement.attempts.find((a) => a.backend === 'gpu-x');
      expect(attempt?.outcome).toBe('passed-over');
      expect(attempt?.reason).toMatch(reason);
      expect(attempt?.measurement?.failure).toBeDefined();
    }
  });

  it('runs the trial on the feeds the caller gives, and refuses feeds that do not fit', async () => {
    const backends = () => [
      timedBackend('gpu-a', 'gpu', { delayMs: 3 }),
      jsBackend('cpu-js', 'cpu'),
    ];
    const feeds = { x: tensor('float32', new Float32Array(64), [64]) };
    const model = await load(backends(), { trial: { feeds } });
    expect(model.placement.selection.inputs).toBe('x float32 [64]');
    expect(model.placement.selection.guessed).toBeUndefined();
    expect(
      (await load(backends(), { trial: { dims: { n: 16 } } })).placement.selection,
    ).toMatchObject({
      inputs: 'x float32 [16]',
    });
    const log = { loads: 0, disposed: 0 };
    const error = await load(
      [timedBackend('gpu-a', 'gpu', {}), timedBackend('cpu-b', 'cpu', {}, log)],
      {
        trial: { feeds: { y: feeds.x } },
      },
    ).catch((e: unknown) => e);
    expect(NpuFirstError.isInstance(error) && error.code).toBe('INVALID_INPUT');
    expect(log).toEqual({ loads: 1, disposed: 1 });
  });

  it('needs no trial when only one backend can serve, and none with selection first', async () => {
    const one = await load([jsBackend('cpu-js', 'cpu')]);
    expect(one.placement.selection).toEqual({
      objective: 'preferred',
      method: 'single',
      tolerance: 1.1,
    });
    const fromEnv = await load(
      [timedBackend('gpu-slow', 'gpu', { delayMs: 8 }), jsBackend('cpu-js', 'cpu')],
      {},
      { ...off, NPU_FIRST_POLICY: 'npu-first;selection=first' },
    );
    expect(fromEnv.placement.backend).toBe('gpu-slow');
    expect(fromEnv.placement.selection).toEqual({ objective: 'first', method: 'first' });
    expect(fromEnv.placement.policy).toEqual({ source: 'env', text: 'npu-first;selection=first' });
  });

  it('keeps verdicts on disk: the next load goes straight to the winner, and a bad cache is only a note', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npu-first-placement-'));
    const env = { NPU_FIRST_PLACEMENT_CACHE: join(dir, 'placement.json') };
    const gpu = { loads: 0, disposed: 0 };
    const backends = () => [
      timedBackend('gpu-slow', 'gpu', { delayMs: 8 }, gpu),
      jsBackend('cpu-js', 'cpu'),
    ];
    const first = await load(backends(), {}, env);
    expect(first.placement.selection.method).toBe('trial');
    const stored = JSON.parse(await readFile(env.NPU_FIRST_PLACEMENT_CACHE, 'utf8'));
    expect(Object.keys(stored.entries)).toHaveLength(2);

    const second = await load(backends(), {}, env);
    expect(second.placement.backend).toBe('cpu-js');
    expect(second.placement.selection).toMatchObject({
      method: 'cache',
      inputs: 'generated inputs',
    });
    expect(gpu.loads).toBe(1); // the slow GPU was not loaded again
    const passed = second.placement.attempts.find((a) => a.backend === 'gpu-slow');
    expect(passed).toMatchObject({ outcome: 'passed-over', measurement: { source: 'cache' } });
    expect(passed?.reason).toMatch(
      /\(\d+× slower; a GPU is kept up to 1\.25×\) \(measured \d{4}-\d\d-\d\d\)$/,
    );

    const refreshed = await load(backends(), { trial: { refresh: true } }, env);
    expect(refreshed.placement.selection.method).toBe('trial');
    // Other inputs are other verdicts.
    expect(
      (await load(backends(), { trial: { dims: { n: 8 } } }, env)).placement.selection.method,
    ).toBe('trial');

    await writeFile(env.NPU_FIRST_PLACEMENT_CACHE, '{ not json');
    const corrupt = await load(backends(), {}, env);
    expect(corrupt.placement.backend).toBe('cpu-js');
    expect(corrupt.placement.selection.method).toBe('trial');
    expect(corrupt.placement.selection.notes).toEqual([
      `placement cache ignored: ${env.NPU_FIRST_PLACEMENT_CACHE} (from NPU_FIRST_PLACEMENT_CACHE) is not an npu-first cache (it is not JSON), so it is left untouched: point NPU_FIRST_PLACEMENT_CACHE at a new file, or set it to off`,
    ]);
    // A file that is not ours is never overwritten.
    expect(await readFile(env.NPU_FIRST_PLACEMENT_CACHE, 'utf8')).toBe('{ not json');
  });

  it('keeps a refusal in the cache too, so a backend that rejects the model does not defeat it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npu-first-placement-'));
    const env = { NPU_FIRST_PLACEMENT_CACHE: join(dir, 'placement.json') };
    const backends = () => [
      rejecting('npu-picky', 'npu', 'needs static shapes'),
      timedBackend('gpu-slow', 'gpu', { delayMs: 8 }),
      jsBackend('cpu-js', 'cpu'),
    ];
    expect((await load(backends(), {}, env)).placement.selection.method).toBe('trial');
    const again = await load(backends(), {}, env);
    expect(again.placement.selection.method).toBe('cache');
    expect(rows(again.placement.attempts)).toEqual([
      ['npu-picky', 'rejected'],
      ['gpu-slow', 'passed-over'],
      ['cpu-js', 'selected'],
    ]);
    expect(again.placement.attempts[0]?.reason).toMatch(
      /^needs static shapes \(cached \d{4}-\d\d-\d\d\)$/,
    );
  });

  it('measures again when the cached winner no longer loads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npu-first-placement-'));
    const env = { NPU_FIRST_PLACEMENT_CACHE: join(dir, 'placement.json') };
    await load(
      [timedBackend('gpu-slow', 'gpu', { delayMs: 8 }), jsBackend('cpu-js', 'cpu')],
      {},
      env,
    );
    const broken = backend({
      id: 'cpu-js',
      deviceKind: 'cpu',
      load: async () => {
        throw new Error('engine gone');
      },
    });
    const model = await load([timedBackend('gpu-slow', 'gpu', { delayMs: 8 }), broken], {}, env);
    expect(model.placement.backend).toBe('gpu-slow');
    expect(model.placement.selection.method).toBe('single');
    expect(model.placement.attempts.find((a) => a.backend === 'cpu-js')).toMatchObject({
      outcome: 'failed',
      reason: 'engine gone',
    });
  });
});
