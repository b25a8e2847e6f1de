import {
  type AcceptResult,
  type Backend,
  createRuntime,
  inspectModel,
  type LoadContext,
  type LoadedModel,
  type ModelDescriptor,
} from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import { allFixtures } from '../fixtures/index.js';
import { buildTinyLlamaGguf } from '../gguf/index.js';
import { bounded } from './bounded.js';
import { describeThrown, describeValue } from './describe-thrown.js';
import { expectCode } from './expect-code.js';
import type { GraphHarness } from './graph-harness.js';
import { loadModel } from './load-backend.js';
import { skipWithReason } from './skip-with-reason.js';

/** A model of one of the backend's formats, with the context the suite would load it with. */
interface Candidate {
  readonly what: string;
  readonly descriptor: ModelDescriptor;
  readonly context: LoadContext;
  readonly task: 'graph' | 'text-generation';
  readonly backendOptions: Readonly<Record<string, unknown>> | undefined;
}

/** Every fixture the backend's formats cover, pinned as the suite loads it, plus unpinned variants. */
async function candidates(backend: Backend, h: GraphHarness): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const add = async (
    what: string,
    bytes: Uint8Array,
    task: Candidate['task'],
    context: LoadContext,
  ) => {
    out.push({
      what,
      descriptor: await inspectModel(bytes),
      context,
      task,
      backendOptions: context.backendOptions,
    });
  };
  if (backend.formats.includes('onnx')) {
    for (const fixture of allFixtures()) {
      if (h.cannotRun(fixture) === undefined)
        await add(fixture.name, fixture.bytes, 'graph', h.contextFor(fixture));
      if (h.pinsFor(fixture))
        await add(`${fixture.name} (unpinned)`, fixture.bytes, 'graph', h.context());
    }
  }
  if (backend.formats.includes('gguf')) {
    await add('tiny-llama.gguf', buildTinyLlamaGguf(), 'text-generation', {
      ...h.context(),
      options: { contextSize: 256 },
    });
  }
  return out;
}

/** Checks one `accepts()` answer's shape; returns it. */
function checkVerdict(what: string, verdict: unknown): AcceptResult {
  const ok =
    typeof verdict === 'object' &&
    verdict !== null &&
    ((verdict as AcceptResult).accepted === true ||
      ((verdict as AcceptResult).accepted === false &&
        typeof (verdict as { reason?: unknown }).reason === 'string' &&
        ((verdict as { reason: string }).reason.trim().length ?? 0) > 0));
  if (!ok) {
    expect.fail(
      `accepts(${what}) must return { accepted: true } or { accepted: false, reason: '<why>' }, it returned ${describeValue(verdict)}`,
    );
  }
  return verdict as AcceptResult;
}

/** `accepts()`: its answers' shape, its bound, and its agreement with `load()` and the chain. */
export function describeAcceptsCases(h: GraphHarness): void {
  const { backend, settings } = h;
  describe('accepts()', () => {
    if (typeof backend.accepts !== 'function') {
      skipWithReason(
        backend.id,
        'accepts() contract',
        'the backend has no accepts() (it is optional)',
      );
      return;
    }
    const ask = async (c: Candidate) => {
      const verdict = await bounded(`accepts(${c.what})`, settings.acceptsTimeoutMs, () =>
        backend.accepts?.(c.descriptor, c.context),
      ).catch((error: unknown) =>
        expect.fail(`accepts(${c.what}) must not throw, it threw ${describeThrown(error)}`),
      );
      return checkVerdict(c.what, verdict);
    };

    it(`answers every model of its formats with a verdict, within ${settings.acceptsTimeoutMs} ms, never throwing`, async () => {
      for (const c of await candidates(backend, h)) await ask(c);
    });

    it('agrees with load(): a model it accepts loads, or is refused with MODEL_REJECTED and a reason', async () => {
      for (const c of await candidates(backend, h)) {
        if (!(await ask(c)).accepted) continue;
        let model: LoadedModel | undefined;
        try {
          model = await bounded(`load(${c.what})`, settings.loadTimeoutMs, () =>
            loadModel(backend, c.descriptor, c.context),
          );
        } catch (error) {
          const rejected = await expectCode(Promise.reject(error), 'MODEL_REJECTED', {
            what: `accepts(${c.what}) said yes, so load() must load it or refuse it`,
          });
          expect((rejected as { reason?: string }).reason ?? '', `reason of ${c.what}`).not.toBe(
            '',
          );
        } finally {
          await model?.dispose();
        }
      }
    });

    it('is honoured by the runtime: a model it refuses is never handed to load()', async () => {
      const refused = [];
      for (const c of await candidates(backend, h)) if (!(await ask(c)).accepted) refused.push(c);
      if (refused.length === 0) return; // nothing refused among the fixtures: nothing to check
      let loads = 0;
      // A proxy, not a spread: a backend may be a class whose methods live on its prototype.
      const counted = new Proxy(backend, {
        get(target, key) {
          if (key === 'load') {
            return (model: ModelDescriptor, context: LoadContext) => {
              loads++;
              return target.load(model, context);
            };
          }
          const value = Reflect.get(target, key, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const runtime = await createRuntime({
        backends: [counted],
        env: {},
        policy: { order: [backend.id] },
      });
      for (const c of refused) {
        const bytes = c.descriptor.bytes as Uint8Array;
        const options = {
          task: c.task,
          backendOptions: c.backendOptions && { [backend.id]: c.backendOptions },
        };
        const loaded = await runtime.load(bytes, options as never).catch((error: unknown) => error);
        if (typeof (loaded as { dispose?: unknown }).dispose === 'function') {
          await (loaded as LoadedModel).dispose();
          expect.fail(
            `the runtime loaded ${c.what} on ${backend.id} although accepts() refused it`,
          );
        }
      }
      expect(loads, 'load() calls for models accepts() refused').toBe(0);
    });
  });
}

/** `checkOptions()`, when present: refuses unknown keys, takes the options the suite loads with. */
export function describeCheckOptionsCases(h: GraphHarness): void {
  const { backend } = h;
  const check = backend.checkOptions?.bind(backend);
  describe('checkOptions()', () => {
    if (!check) {
      skipWithReason(
        backend.id,
        'checkOptions() contract',
        'the backend has no checkOptions() (it is optional)',
      );
      return;
    }
    it('refuses an unknown key with INVALID_OPTION naming it', async () => {
      const key = 'conformanceNoSuchOption';
      const error = await expectCode(() => check({ [key]: 1 }), 'INVALID_OPTION', {
        what: `checkOptions({ ${key}: 1 })`,
      });
      expect(error.message, 'the message names the key').toContain(key);
    });

    it('takes no options, and the pinned shapes the suite loads with', () => {
      const run = (what: string, options: Readonly<Record<string, unknown>>) => {
        try {
          check(options);
        } catch (error) {
          expect.fail(`checkOptions(${what}) threw ${describeThrown(error)}`);
        }
      };
      run('{}', {});
      if (h.settings.staticShapesOnly && h.settings.pinShapes) {
        const pinned = h.settings.pinShapes({ batch: 1 });
        run(describeValue(pinned), pinned);
      }
    });
  });
}
