import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, inspectModel, type ModelDescriptor, type Tensor } from '@npu-first/core';
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
import { bounded } from './bounded.js';
import { expectCode } from './expect-code.js';
import { asGraph, type GraphHarness } from './graph-harness.js';
import { loadModel } from './load-backend.js';
import { skipWithReason } from './skip-with-reason.js';

/** The graph cases: generated ONNX fixtures against their JavaScript references. */
export function describeGraphCases(h: GraphHarness): void {
  const { backend, settings } = h;
  const staticOnly = settings.staticShapesOnly;
  /** Registers a case over `fixture`, or skips it with the reason it cannot run here. */
  const caseWith = (fixture: FixtureModel, name: string, fn: () => Promise<void>) => {
    const reason = h.cannotRun(fixture);
    if (reason) skipWithReason(backend.id, name, reason);
    else it(name, fn);
  };
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `npu-first-conformance-${backend.id}-`));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const fixture of allFixtures()) {
    describe(`fixture ${fixture.name}`, () => {
      caseWith(fixture, 'loads and reports the declared inputs and outputs', async () => {
        const model = await h.load(fixture);
        try {
          expect(model.task).toBe('graph');
          h.expectDeclared(model.inputs, fixture.inputs, h.pinsFor(fixture));
          h.expectDeclared(model.outputs, fixture.outputs, h.pinsFor(fixture));
          expect(typeof model.device.name).toBe('string');
        } finally {
          await model.dispose();
        }
      });

      caseWith(fixture, 'computes the reference outputs within tolerance', async () => {
        const model = await h.load(fixture);
        try {
          for (const seed of [1, 2, 3]) {
            const feeds = fixture.makeFeeds(seed);
            h.expectMatches(await model.run(feeds), fixture.reference(feeds));
          }
        } finally {
          await model.dispose();
        }
      });
    });
  }

  const dynamic = buildDynamic();
  if (staticOnly) {
    caseWith(
      dynamic,
      'runs the symbolic-batch model pinned to each of several batch sizes',
      async () => {
        for (const batch of [1, 4, 9]) {
          const model = await h.load(dynamic, { batch });
          try {
            const feeds = dynamic.makeFeeds(batch, { batch });
            h.expectMatches(await model.run(feeds), dynamic.reference(feeds));
          } finally {
            await model.dispose();
          }
        }
      },
    );

    it('refuses the symbolic-batch model when its shapes are not pinned', async () => {
      const descriptor = await inspectModel(dynamic.bytes);
      const context = h.context();
      if (backend.accepts) {
        const verdict = await bounded('accepts(dynamic, unpinned)', settings.acceptsTimeoutMs, () =>
          backend.accepts?.(descriptor, context),
        );
        expect(verdict, 'accepts() must refuse an unpinned symbolic model').toMatchObject({
          accepted: false,
        });
      } else {
        const error = await expectCode(loadModel(backend, descriptor, context), 'MODEL_REJECTED', {
          what: 'load() of an unpinned symbolic model (the backend has no accepts())',
        });
        expect((error as { reason?: string }).reason ?? '').not.toBe('');
      }
    });
  } else {
    it('honours symbolic dimensions: the same model runs at several batch sizes', async () => {
      const model = await h.load(dynamic);
      try {
        for (const batch of [1, 4, 9]) {
          const feeds = dynamic.makeFeeds(batch, { batch });
          h.expectMatches(await model.run(feeds), dynamic.reference(feeds));
        }
      } finally {
        await model.dispose();
      }
    });
  }

  it('loads from a file path as well as from bytes', async () => {
    const fixture = buildMlp();
    const path = await writeFixture(fixture, dir);
    const model = asGraph(
      await h.loadDescriptor(await inspectModel(path), h.contextFor(fixture), path),
    );
    try {
      const feeds = fixture.makeFeeds(7);
      h.expectMatches(await model.run(feeds), fixture.reference(feeds));
    } finally {
      await model.dispose();
    }
  });

  // Output selection is core's for v2 backends (core/src/lifecycle/graph-lifecycle.test.ts);
  // what a session can still get wrong is returning other outputs than the names it is given.
  caseWith(dynamic, 'returns only the outputs asked for', async () => {
    const model = await h.load(dynamic);
    try {
      const out = await model.run(dynamic.makeFeeds(1), { outputs: ['k1'] });
      expect(Object.keys(out)).toEqual(['k1']);
    } finally {
      await model.dispose();
    }
  });

  // Feed validation is core's for v2 backends (graph-lifecycle.test.ts), so for them this is an
  // integration check: the engine keeps working after refused feeds. A v1 model validates itself.
  caseWith(
    dynamic,
    'rejects bad feeds with INVALID_INPUT naming the input, and keeps working',
    async () => {
      // The bad feeds are built around batch 2; a static-shapes backend is pinned to it.
      const model = await h.load(dynamic, { batch: 2 });
      try {
        for (const bad of badFeedCases(dynamic)) {
          await expectCode(model.run(bad.feeds), 'INVALID_INPUT', {
            fields: { input: bad.input },
            what: bad.what,
          });
        }
        const feeds = dynamic.makeFeeds(5, { batch: 2 });
        h.expectMatches(await model.run(feeds), dynamic.reference(feeds));
      } finally {
        await model.dispose();
      }
    },
  );

  it('reports a truncated model file as MODEL_CORRUPT', async () => {
    const cut = truncate(buildMlp().bytes, 0.5);
    const path = await writeFixture(cut, dir, 'truncated.onnx');
    const descriptor: ModelDescriptor = {
      format: 'onnx',
      name: 'truncated.onnx',
      path,
      sizeBytes: cut.byteLength,
    };
    await expectCode(
      bounded('load(truncated.onnx)', settings.loadTimeoutMs, () =>
        loadModel(backend, descriptor, h.context()),
      ),
      'MODEL_CORRUPT',
    );
  });

  // A lifecycle case, owned by core for v2 backends and tested there (graph-lifecycle.test.ts):
  // here an integration check that the session's release() settles after a run. v1 models own it.
  it('dispose() releases the model: later runs throw MODEL_DISPOSED; dispose is idempotent', async () => {
    const fixture = buildMlp();
    const model = await h.load(fixture);
    const inFlight = model.run(fixture.makeFeeds(1));
    await model.dispose();
    h.expectMatches(await inFlight, fixture.reference(fixture.makeFeeds(1)));
    await expectCode(model.run(fixture.makeFeeds(1)), 'MODEL_DISPOSED', {
      what: 'run() after dispose()',
    });
    await expect(model.dispose()).resolves.toBeUndefined();
    await expect(model[Symbol.asyncDispose]()).resolves.toBeUndefined();
  });

  // Counting and queueing runs is core's for v2 backends; an engine that shares buffers between
  // runs (or declares concurrentRuns wrongly) still fails here.
  caseWith(
    dynamic,
    `gives each of ${settings.concurrency} concurrent runs its own correct result`,
    async () => {
      // Mixed batch sizes where shapes may vary; one pinned size where they may not.
      const batchOf = (seed: number) => (staticOnly ? 3 : 1 + (seed % 5));
      const model = await h.load(dynamic, { batch: 3 });
      try {
        const seeds = Array.from({ length: settings.concurrency }, (_, i) => i + 1);
        const feeds = seeds.map((seed) => dynamic.makeFeeds(seed, { batch: batchOf(seed) }));
        const results = await Promise.all(feeds.map((f) => model.run(f)));
        for (const [i, result] of results.entries()) {
          h.expectMatches(result, dynamic.reference(feeds[i] as Record<string, Tensor>));
        }
      } finally {
        await model.dispose();
      }
    },
  );

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
