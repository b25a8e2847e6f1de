import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Backend,
  createRuntime,
  type GraphModel,
  inspectModel,
  type LoadContext,
  type LoadedModel,
  type ModelDescriptor,
  NpuFirstError,
  type ProbeResult,
  type Tensor,
} from '@npu-first/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allFixtures,
  buildDynamic,
  buildMlp,
  type FixtureModel,
  truncate,
  writeFixture,
} from '../fixtures/index.js';
import { badFeedCases } from './bad-feeds.js';
import { describeGeneratorCases } from './generator-cases.js';
import { compareTensors, TOLERANCES, type Tolerance } from './tolerance.js';

export interface ConformanceOptions {
  /** The backend under test, or a factory called once. */
  readonly backend: Backend | (() => Backend | Promise<Backend>);
  /** Override the tolerance chosen from the backend's `precision`. */
  readonly tolerance?: Tolerance;
  /**
   * Fail, rather than skip, when the backend reports itself unavailable: for CI runners
   * that have the hardware. Also set by `NPU_FIRST_REQUIRE_BACKENDS=id1,id2`.
   */
  readonly requireAvailable?: boolean;
  /** Concurrent runs in the concurrency case. Default 32. */
  readonly concurrency?: number;
  /** Bound on `probe()` in ms. Default 30 000. */
  readonly probeTimeoutMs?: number;
}

/**
 * The conformance suite every backend runs — ours and third parties' — from its own test
 * file, with top-level await:
 *
 * ```ts
 * await runBackendConformance({ backend: createMyBackend() });
 * ```
 *
 * It checks the spec and probe contract. For `graph` backends it loads generated ONNX
 * fixtures and compares outputs with JavaScript references under a tolerance suited to the
 * backend's precision, and checks bad feeds, corrupt models, dispose and concurrent runs.
 * For `text-generation` backends it loads a tiny generated GGUF and checks determinism,
 * `maxTokens`, streaming, abort, chat, bad input, overflow, corrupt files and dispose. A backend that is
 * unavailable on this machine gets one skipped test whose name gives the probe's reason,
 * so a report never shows a silent pass.
 */
export async function runBackendConformance(options: ConformanceOptions): Promise<void> {
  const backend = typeof options.backend === 'function' ? await options.backend() : options.backend;
  const probe = await Promise.race([
    backend.probe(),
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error('probe() did not finish in time')),
        options.probeTimeoutMs ?? 30_000,
      ).unref(),
    ),
  ]);
  const required =
    options.requireAvailable === true ||
    (process.env.NPU_FIRST_REQUIRE_BACKENDS ?? '')
      .split(',')
      .map((s) => s.trim())
      .includes(backend.id);
  const tolerance = options.tolerance ?? TOLERANCES[backend.precision ?? 'fp32'];

  describe(`backend conformance: ${backend.id}`, () => {
    describeContract(backend, probe);
    if (!probe.available) {
      if (required) {
        it(`${backend.id} must be available here`, () => {
          expect.fail(`${backend.id} is unavailable: ${probe.reason}`);
        });
      } else {
        const line = `UNAVAILABLE on this machine, inference cases not run: ${probe.reason}`;
        console.warn(`[npu-first conformance] ${backend.id}: ${line}`);
        it.skip(line, () => {});
      }
      return;
    }
    if (backend.tasks.includes('graph'))
      describeGraphCases(backend, probe, tolerance, options.concurrency ?? 32);
    if (backend.tasks.includes('text-generation')) describeGeneratorCases(backend, probe);
  });
}

function describeContract(backend: Backend, probe: ProbeResult): void {
  describe('spec and probe contract', () => {
    it('declares spec v1, a well-formed id, a device kind, formats and tasks', () => {
      expect(backend.specificationVersion).toBe('v1');
      expect(backend.id).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
      expect(['npu', 'gpu', 'cpu']).toContain(backend.deviceKind);
      expect(backend.formats.length).toBeGreaterThan(0);
      expect(backend.tasks.length).toBeGreaterThan(0);
      expect(typeof backend.probe).toBe('function');
      expect(typeof backend.load).toBe('function');
    });

    it('probe() reports availability, devices, and a reason when unavailable', () => {
      expect(typeof probe.available).toBe('boolean');
      expect(Array.isArray(probe.devices)).toBe(true);
      for (const device of probe.devices) expect(typeof device.name).toBe('string');
      if (!probe.available) {
        expect(typeof probe.reason).toBe('string');
        expect((probe.reason ?? '').length).toBeGreaterThan(10);
      } else {
        expect(probe.devices.length).toBeGreaterThan(0);
      }
    });

    it('probe() gives the same answer when asked again', async () => {
      const again = await backend.probe();
      expect(again.available).toBe(probe.available);
      expect(again.devices.map((d) => d.name)).toEqual(probe.devices.map((d) => d.name));
    });
  });
}

function describeGraphCases(
  backend: Backend,
  probe: ProbeResult,
  tolerance: Tolerance,
  concurrency: number,
): void {
  const context = (): LoadContext => ({
    options: {},
    backendOptions: undefined,
    probe,
    signal: new AbortController().signal,
  });
  const load = async (fixture: FixtureModel): Promise<GraphModel> =>
    asGraph(await backend.load(await inspectModel(fixture.bytes), context()));
  const expectMatches = (actual: Record<string, Tensor>, expected: Record<string, Tensor>) => {
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, tensor] of Object.entries(expected)) {
      const problem = compareTensors(actual[name] as Tensor, tensor, tolerance);
      expect(problem, `output "${name}"`).toBeUndefined();
    }
  };
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `npu-first-conformance-${backend.id}-`));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe.each(allFixtures().map((f) => [f.name, f] as const))('fixture %s', (_name, fixture) => {
    it('loads and reports the declared inputs and outputs', async () => {
      const model = await load(fixture);
      try {
        expect(model.task).toBe('graph');
        expect(model.inputs).toEqual(fixture.inputs);
        expect(model.outputs).toEqual(fixture.outputs);
        expect(typeof model.device.name).toBe('string');
      } finally {
        await model.dispose();
      }
    });

    it('computes the reference outputs within tolerance', async () => {
      const model = await load(fixture);
      try {
        for (const seed of [1, 2, 3]) {
          const feeds = fixture.makeFeeds(seed);
          expectMatches(await model.run(feeds), fixture.reference(feeds));
        }
      } finally {
        await model.dispose();
      }
    });
  });

  it('honours symbolic dimensions: the same model runs at several batch sizes', async () => {
    const fixture = buildDynamic();
    const model = await load(fixture);
    try {
      for (const batch of [1, 4, 9]) {
        const feeds = fixture.makeFeeds(batch, { batch });
        expectMatches(await model.run(feeds), fixture.reference(feeds));
      }
    } finally {
      await model.dispose();
    }
  });

  it('loads from a file path as well as from bytes', async () => {
    const fixture = buildMlp();
    const path = await writeFixture(fixture, dir);
    const model = asGraph(await backend.load(await inspectModel(path), context()));
    try {
      const feeds = fixture.makeFeeds(7);
      expectMatches(await model.run(feeds), fixture.reference(feeds));
    } finally {
      await model.dispose();
    }
  });

  it('returns only the outputs asked for', async () => {
    const fixture = buildDynamic();
    const model = await load(fixture);
    try {
      const out = await model.run(fixture.makeFeeds(1), { outputs: ['k1'] });
      expect(Object.keys(out)).toEqual(['k1']);
    } finally {
      await model.dispose();
    }
  });

  it('rejects bad feeds with INVALID_INPUT naming the input, and keeps working', async () => {
    const fixture = buildDynamic();
    const model = await load(fixture);
    try {
      for (const bad of badFeedCases(fixture)) {
        const error = await model.run(bad.feeds).catch((e: unknown) => e);
        expect(NpuFirstError.isInstance(error) ? error.toJSON() : error, bad.what).toMatchObject({
          code: 'INVALID_INPUT',
          input: bad.input,
        });
      }
      const feeds = fixture.makeFeeds(5);
      expectMatches(await model.run(feeds), fixture.reference(feeds));
    } finally {
      await model.dispose();
    }
  });

  it('reports a truncated model file as MODEL_CORRUPT', async () => {
    const cut = truncate(buildMlp().bytes, 0.5);
    const path = await writeFixture(cut, dir, 'truncated.onnx');
    const descriptor: ModelDescriptor = {
      format: 'onnx',
      name: 'truncated.onnx',
      path,
      sizeBytes: cut.byteLength,
    };
    const error = await backend.load(descriptor, context()).catch((e: unknown) => e);
    expect(NpuFirstError.isInstance(error) && error.code).toBe('MODEL_CORRUPT');
  });

  it('dispose() releases the model: later runs throw MODEL_DISPOSED; dispose is idempotent', async () => {
    const fixture = buildMlp();
    const model = await load(fixture);
    const inFlight = model.run(fixture.makeFeeds(1));
    await model.dispose();
    expectMatches(await inFlight, fixture.reference(fixture.makeFeeds(1)));
    const error = await model.run(fixture.makeFeeds(1)).catch((e: unknown) => e);
    expect(NpuFirstError.isInstance(error) && error.code).toBe('MODEL_DISPOSED');
    await expect(model.dispose()).resolves.toBeUndefined();
    await expect(model[Symbol.asyncDispose]()).resolves.toBeUndefined();
  });

  it(`gives each of ${concurrency} concurrent runs its own correct result`, async () => {
    const fixture = buildDynamic();
    const model = await load(fixture);
    try {
      const seeds = Array.from({ length: concurrency }, (_, i) => i + 1);
      const feeds = seeds.map((seed) => fixture.makeFeeds(seed, { batch: 1 + (seed % 5) }));
      const results = await Promise.all(feeds.map((f) => model.run(f)));
      for (const [i, result] of results.entries()) {
        expectMatches(result, fixture.reference(feeds[i] as Record<string, Tensor>));
      }
    } finally {
      await model.dispose();
    }
  });

  it('is selected by the runtime when the policy names it', async () => {
    const runtime = await createRuntime({
      backends: [backend],
      env: {},
      policy: { order: [backend.id] },
    });
    const model = await runtime.load(buildMlp().bytes, { task: 'graph' });
    try {
      expect(model.placement.backend).toBe(backend.id);
      expect(model.placement.attempts.at(-1)?.outcome).toBe('selected');
    } finally {
      await model.dispose();
    }
  });
}

/** The loaded model as a graph model; a backend that returns another kind fails the case. */
function asGraph(model: LoadedModel): GraphModel {
  expect(model.task, 'an ONNX model must load as a graph model').toBe('graph');
  return model as GraphModel;
}
