import { createCpuOnnxBackend } from '@npu-first/backend-cpu';
import {
  type BackendOptionsMap,
  createRuntime,
  inspectModel,
  NpuFirstError,
} from '@npu-first/core';
import { buildDynamic, compareTensors, TOLERANCES } from '@npu-first/testkit';
import { describe, expect, it } from 'vitest';
import { SILERO_PATH } from './__fixtures__/real-models.js';
import { COREML_PROVIDER } from './coreml/coreml-flags.js';
import { createOrtNpuBackend, type OrtNpuDefaults } from './ort-npu-backend.js';

// The stand-in NPU backend takes npu-coreml's options; its id joins the typed map as a plugin's would.
declare module '@npu-first/core' {
  interface BackendOptionsMap {
    'npu-standin': BackendOptionsMap['npu-coreml'];
  }
}

/**
 * The shared ORT NPU load path, run for real on ONNX Runtime's CPU EP standing in for an NPU
 * EP these machines lack. Looking for CoreML's provider name in the profile, the stand-in
 * measures what a session where CoreML took nothing would measure: 0% on the NPU.
 */
function standIn(defaults: OrtNpuDefaults = {}, npuProvider = COREML_PROVIDER) {
  return createOrtNpuBackend(
    {
      id: 'npu-standin',
      displayName: 'stand-in NPU (ORT CPU EP)',
      npuProvider,
      executionProviders: ['cpu'],
      probe: async () => ({ available: true, devices: [{ name: 'Stand-in NPU', vendor: 'test' }] }),
    },
    defaults,
  );
}

// `selection=first`: these tests are about the NPU path's checks, not timing; the stand-in runs
// on the CPU, so a measured trial against the real CPU backend is a coin toss on a busy machine.
const runtimeWith = (defaults?: OrtNpuDefaults) =>
  createRuntime({
    backends: [standIn(defaults), createCpuOnnxBackend()],
    env: {},
    policy: 'npu-first;selection=first',
  });

describe('the ORT NPU load path in the chain', () => {
  it('pre-flight: rejects symbolic dims with the option that pins them; the CPU takes the model', async () => {
    const runtime = await runtimeWith();
    const model = await runtime.load(buildDynamic().bytes, { task: 'graph' });
    const npu = model.placement.attempts[0];
    const cpu = model.placement.attempts.at(-1);
    expect(npu).toMatchObject({ backend: 'npu-standin', outcome: 'rejected' });
    expect(npu?.reason).toContain(
      `symbolic dimension batch (in "x" [batch, 3], "k" [batch]) — pin it with backendOptions: { 'npu-standin': { shapes: { batch: 1 } } }`,
    );
    expect(cpu).toMatchObject({ backend: 'cpu-onnxruntime', outcome: 'selected' });
    await model.dispose();
  });

  it('coverage: a pinned model that runs on the CPU EP is measured at 0% and rejected', async () => {
    const runtime = await runtimeWith();
    const model = await runtime.load(buildDynamic().bytes, {
      task: 'graph',
      backendOptions: { 'npu-standin': { shapes: { batch: 2 } } },
    });
    const [npu] = model.placement.attempts;
    expect(npu).toMatchObject({ outcome: 'rejected', code: 'MODEL_REJECTED' });
    expect(npu?.reason).toMatch(
      /^only 0% of the graph runs on the NPU \(0\/3 nodes on CoreMLExecutionProvider \(0 kernels, 0% of kernel time\); fell back to CPU: .*Add.*\), below minNpuCoverage 0\.8/,
    );
    expect(model.placement.backend).toBe('cpu-onnxruntime');
    await model.dispose();
  });

  it('minNpuCoverage 0 keeps it: pinned shapes, correct results, coverage in the placement', async () => {
    const runtime = await runtimeWith();
    const fixture = buildDynamic();
    const model = await runtime.load(fixture.bytes, {
      task: 'graph',
      threads: 1,
      backendOptions: { 'npu-standin': { shapes: { batch: 2 }, minNpuCoverage: 0 } },
    });
    expect(model.placement.backend).toBe('npu-standin');
    // The device is a name; the coverage is in the details, its note in the trace's reason.
    expect(model.placement.device).toBe('Stand-in NPU');
    expect(model.placement.attempts[0]?.reason).toMatch(
      /^runs on Stand-in NPU: 0\/3 nodes on CoreMLExecutionProvider .*fell back to CPU/,
    );
    expect(model.placement.details).toMatchObject({
      coverage: { onDevice: 0, total: 3, unit: 'nodes' },
      engineDevice: 'CoreMLExecutionProvider',
      threads: { count: 1, why: 'load option' },
    });
    expect(model.placement.details?.coverage?.note).toMatch(
      /^0\/3 nodes on CoreMLExecutionProvider \(0 kernels, 0% of kernel time\); fell back to CPU: /,
    );
    // All three nodes, by op type, most frequent first.
    expect(model.placement.details?.fellBack).toEqual([
      { opType: 'Add', count: 2 },
      { opType: expect.any(String), count: 1 },
    ]);
    expect(model.inputs.map((i) => i.shape)).toEqual([[2, 3], [2]]);
    const feeds = fixture.makeFeeds(5, { batch: 2 });
    const out = await model.run(feeds);
    const expected = fixture.reference(feeds);
    for (const name of ['y', 'k1']) {
      expect(
        compareTensors(out[name] as never, expected[name] as never, TOLERANCES.fp32),
      ).toBeUndefined();
    }
    const error = await model.run(fixture.makeFeeds(5, { batch: 3 })).catch((e: unknown) => e);
    expect(NpuFirstError.isInstance(error) && error.code).toBe('INVALID_INPUT');
    await model.dispose();
  });

  it('counts a provider that took every node as full coverage', async () => {
    const backend = standIn({ shapes: { batch: 1 }, threads: 2 }, 'CPUExecutionProvider');
    const probe = await backend.probe();
    const loaded = await backend.load(await inspectModel(buildDynamic().bytes), {
      options: {},
      backendOptions: undefined,
      probe,
      signal: new AbortController().signal,
    });
    expect(loaded).toMatchObject({
      task: 'graph',
      device: { name: 'Stand-in NPU' },
      details: {
        coverage: { onDevice: 3, total: 3, unit: 'nodes' },
        fellBack: [],
        engineDevice: 'CPUExecutionProvider',
        threads: { count: 2, why: 'backend default' },
      },
    });
    expect(loaded.details?.coverage?.note).toMatch(/^3\/3 nodes on CPUExecutionProvider \(/);
    await loaded.session.release();
  });

  it('a model whose zero-filled profiling run fails still loads, saying coverage was not measured', async () => {
    // Silero with sequence left open: the profiling run feeds 1 sample, too few for its reflect Pad.
    const backend = standIn({ shapes: { batch: 1 } });
    const loaded = await backend.load(await inspectModel(SILERO_PATH), {
      options: {},
      backendOptions: undefined,
      probe: await backend.probe(),
      signal: new AbortController().signal,
    });
    expect(loaded.details?.coverage).toMatchObject({ onDevice: null, total: null, unit: 'nodes' });
    expect(loaded.details?.coverage?.note).toMatch(
      /^op coverage not measured: the profiling run .* failed: .*Pad/,
    );
    // No threads option anywhere: ONNX Runtime's own choice, not reported.
    expect(loaded.details).not.toHaveProperty('threads');
    expect(loaded.details).not.toHaveProperty('fellBack');
    await loaded.session.release();
  });

  it('refuses bad options with INVALID_OPTION naming the option', async () => {
    for (const [options, option] of [
      [{ shapes: { batch: 0 } }, 'backendOptions.npu-standin.shapes.batch'],
      [{ shapes: [1] }, 'backendOptions.npu-standin.shapes'],
      [{ minNpuCoverage: 2 }, 'backendOptions.npu-standin.minNpuCoverage'],
      [{ batch: 1 }, 'backendOptions.npu-standin.batch'],
    ] as const) {
      const backend = standIn();
      const error = await Promise.resolve()
        .then(async () =>
          backend.accepts?.(await inspectModel(buildDynamic().bytes), {
            options: {},
            backendOptions: options,
            probe: await backend.probe(),
            signal: new AbortController().signal,
          }),
        )
        .catch((e: unknown) => e);
      expect(NpuFirstError.isInstance(error) && error.toJSON()).toMatchObject({
        code: 'INVALID_OPTION',
        option,
      });
    }
  });
});
