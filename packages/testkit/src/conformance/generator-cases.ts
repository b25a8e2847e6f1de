import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Backend,
  createRuntime,
  inspectModel,
  type LoadContext,
  type LoadedModel,
  type ProbeResult,
  type TextGenerator,
} from '@npu-first/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { truncate } from '../fixtures/index.js';
import { buildTinyLlamaGguf, writeTinyLlamaGguf } from '../gguf/index.js';
import { bounded } from './bounded.js';
import { describeThrown } from './describe-thrown.js';
import { expectCode } from './expect-code.js';
import { loadModel } from './load-backend.js';

/** Context for the generator cases: small, so overflow is easy to reach. */
const CONTEXT_SIZE = 256;

const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/**
 * Conformance cases for backends that serve `text-generation`: a tiny GGUF generated in
 * code, loaded by the backend's real engine.
 */
export function describeGeneratorCases(
  backend: Backend,
  probe: ProbeResult,
  loadTimeoutMs: number,
): void {
  let dir: string;
  let path: string;
  // Loaded by the first case that needs it, not in a hook: a load that throws then fails
  // each case by name with what it threw, instead of the whole block.
  let shared: Promise<TextGenerator> | undefined;
  const generator = () => {
    shared ??= loadAt(path);
    return shared;
  };
  const context = (): LoadContext => ({
    options: { contextSize: CONTEXT_SIZE },
    backendOptions: undefined,
    probe,
    signal: new AbortController().signal,
  });
  const loadAt = async (file: string) => {
    const descriptor = await inspectModel(file);
    const model = await bounded(`load(${descriptor.name})`, loadTimeoutMs, () =>
      loadModel(backend, descriptor, context()),
    ).catch((error: unknown) =>
      expect.fail(`load(${descriptor.name}) threw ${describeThrown(error)}`),
    );
    return asGenerator(model);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `npu-first-gen-${backend.id}-`));
    path = await writeTinyLlamaGguf(dir);
  });
  afterAll(async () => {
    await (await shared?.catch(() => undefined))?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  describe('text generation', () => {
    it('loads a GGUF model as a text generator with the context asked for', async () => {
      const model = await generator();
      expect(model.task).toBe('text-generation');
      expect(model.contextSize).toBe(CONTEXT_SIZE);
      expect(typeof model.device.name).toBe('string');
    });

    it('gives the same text for the same seed, with sane stats', async () => {
      const model = await generator();
      const options = { maxTokens: 12, seed: 42, temperature: 0.8 };
      const a = await model.generate('hello world', options);
      const b = await model.generate('hello world', options);
      expect(a.text).toBe(b.text);
      expect(a.stats.generatedTokens).toBe(b.stats.generatedTokens);
      expect(a.stats.promptTokens).toBeGreaterThan(0);
      expect(a.stats.generatedTokens).toBeGreaterThan(0);
      expect(a.stats.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
      expect(a.stats.tokensPerSecond).toBeGreaterThan(0);
      expect(a.stats.totalMs).toBeGreaterThanOrEqual(a.stats.timeToFirstTokenMs);
    });

    it('depends only on its own input, whatever ran before it', async () => {
      const model = await generator();
      const options = { maxTokens: 10, seed: 11, temperature: 0.8 };
      const chat = [{ role: 'user', content: 'hello world' }] as const;
      const first = await model.generate('hello world, again', options);
      const firstChat = await model.generate(chat, options);
      // Unrelated work in between: another prompt, a conversation, an aborted stream.
      await model.generate('the quick brown fox', { maxTokens: 6, seed: 2, temperature: 1 });
      const controller = new AbortController();
      const stream = model.stream('hello world, again and again', {
        maxTokens: 64,
        signal: controller.signal,
      });
      await (async () => {
        for await (const _ of stream) controller.abort();
      })().catch(() => {});
      expect((await model.generate(chat, options)).text).toBe(firstChat.text);
      const again = await model.generate('hello world, again', options);
      expect(again.text).toBe(first.text);
      expect(again.stats.promptTokens).toBe(first.stats.promptTokens);
    });

    it('respects maxTokens', async () => {
      const model = await generator();
      for (const maxTokens of [1, 5]) {
        const { stats } = await model.generate('the quick brown fox', {
          maxTokens,
          seed: 1,
          temperature: 0.7,
        });
        expect(stats.generatedTokens).toBeLessThanOrEqual(maxTokens);
        if (stats.stopReason === 'max-tokens') expect(stats.generatedTokens).toBe(maxTokens);
      }
    });

    it('streams chunks that join to the text generate() returns', async () => {
      const model = await generator();
      const options = { maxTokens: 16, seed: 7, temperature: 0.8 };
      const whole = await model.generate('hello', options);
      const stream = model.stream('hello', options);
      const chunks: string[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      const result = await stream.result;
      expect(chunks.join('')).toBe(result.text);
      expect(result.text).toBe(whole.text);
    });

    it('stops promptly when aborted, with GENERATION_ABORTED and the partial text', async () => {
      const model = await generator();
      const controller = new AbortController();
      const stream = model.stream('hello', {
        maxTokens: CONTEXT_SIZE - 16,
        seed: 3,
        temperature: 1,
        signal: controller.signal,
      });
      let chunks = 0;
      const error = await expectCode(
        async () => {
          for await (const _ of stream) if (++chunks === 2) controller.abort();
        },
        'GENERATION_ABORTED',
        { what: 'iterating the aborted stream' },
      );
      const aborted = error as unknown as { generatedTokens: number };
      expect(aborted.generatedTokens).toBeLessThan(CONTEXT_SIZE - 16);
      await expectCode(stream.result, 'GENERATION_ABORTED', { what: 'stream.result' });
      // An already-aborted signal never starts.
      await expectCode(model.generate('x', { signal: AbortSignal.abort() }), 'GENERATION_ABORTED', {
        what: 'generate() with an aborted signal',
      });
    });

    it('stops generating when a stream consumer stops iterating, and keeps working', async () => {
      const model = await generator();
      for (const input of ['hello', [{ role: 'user', content: 'hello' }] as const]) {
        const stream = model.stream(input, {
          maxTokens: CONTEXT_SIZE - 64,
          seed: 4,
          temperature: 1,
        });
        let chunks = 0;
        for await (const _ of stream) if (++chunks === 2) break;
        const error = await stream.result.catch((e: unknown) => e);
        // Stopped early: either aborted with what it had, or it had already finished.
        if (codeOf(error) === 'GENERATION_ABORTED') {
          expect((error as { generatedTokens: number }).generatedTokens).toBeLessThan(16);
        } else {
          expect(
            (error as { stats: { generatedTokens: number } }).stats.generatedTokens,
          ).toBeLessThan(16);
        }
      }
      const after = await model.generate('hello', { maxTokens: 3, seed: 1 });
      expect(after.stats.generatedTokens).toBeGreaterThan(0);
    });

    it('takes a conversation and applies the chat template', async () => {
      const model = await generator();
      const messages = [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'hello' },
      ] as const;
      const a = await model.generate(messages, { maxTokens: 8, seed: 5, temperature: 0.8 });
      const raw = await model.generate('hello', { maxTokens: 8, seed: 5, temperature: 0.8 });
      expect(a.stats.generatedTokens).toBeGreaterThan(0);
      // The template wraps the turns, so the prompt is longer than the bare user text.
      expect(a.stats.promptTokens).toBeGreaterThan(raw.stats.promptTokens);
    });

    // Input and option checks are core's for v2 backends (core/src/lifecycle/
    // generation-lifecycle.test.ts); CONTEXT_OVERFLOW still rests on the engine's token count.
    it('refuses bad input with typed errors and keeps working', async () => {
      const model = await generator();
      await expectCode(model.generate(''), 'INVALID_INPUT', {
        fields: { input: 'prompt' },
        what: 'an empty prompt',
      });
      await expectCode(model.generate('hi', { maxTokens: 0 }), 'INVALID_OPTION', {
        fields: { option: 'maxTokens' },
        what: 'maxTokens 0',
      });
      await expectCode(model.generate('hi', { maxTokens: 10_000_000 }), 'INVALID_OPTION', {
        fields: { option: 'maxTokens' },
        what: 'maxTokens 10 000 000',
      });
      const long = 'hello world '.repeat(200);
      await expectCode(model.generate(long, { maxTokens: 8 }), 'CONTEXT_OVERFLOW', {
        fields: { contextSize: CONTEXT_SIZE },
        what: 'a prompt longer than the context',
      });
      const after = await model.generate('hello', { maxTokens: 3, seed: 1 });
      expect(after.stats.generatedTokens).toBeGreaterThan(0);
    });

    // Queueing is core's for v2 backends; "as if alone" is the engine's (no state kept between calls).
    it('serves concurrent calls one at a time, each as if alone', async () => {
      const model = await generator();
      const options = (seed: number) => ({ maxTokens: 6, seed, temperature: 0.9 });
      const alone = await Promise.all(
        [1, 2, 3].map(async (s) => (await model.generate('hello', options(s))).text),
      );
      const together = await Promise.all([1, 2, 3].map((s) => model.generate('hello', options(s))));
      expect(together.map((r) => r.text)).toEqual(alone);
    });

    it('reports a truncated GGUF file as MODEL_CORRUPT', async () => {
      const cut = join(dir, 'cut.gguf');
      const bytes = truncate(buildTinyLlamaGguf(), 0.6);
      await writeFile(cut, bytes);
      // Described by hand: inspectModel() would catch the damage before the backend sees it.
      const descriptor = {
        format: 'gguf',
        name: 'cut.gguf',
        path: cut,
        sizeBytes: bytes.length,
      } as const;
      await expectCode(
        bounded('load(cut.gguf)', loadTimeoutMs, () => loadModel(backend, descriptor, context())),
        'MODEL_CORRUPT',
      );
    });

    // A lifecycle case, owned by core for v2 backends and tested there: here an integration check
    // that the session's release() settles after a generation. v1 generators own it.
    it('dispose() frees the model: later calls throw MODEL_DISPOSED; dispose is idempotent', async () => {
      const own = await loadAt(path);
      const pending = own.generate('hello', { maxTokens: 4, seed: 1 });
      await own.dispose();
      expect((await pending).stats.generatedTokens).toBeGreaterThan(0);
      await expectCode(own.generate('hello'), 'MODEL_DISPOSED', {
        what: 'generate() after dispose()',
      });
      await expect(own.dispose()).resolves.toBeUndefined();
    });

    it('is selected by the runtime for a GGUF model when the policy names it', async () => {
      const runtime = await createRuntime({
        backends: [backend],
        env: {},
        policy: { order: [backend.id] },
      });
      const placed = await runtime.load(path, {
        task: 'text-generation',
        contextSize: CONTEXT_SIZE,
      });
      try {
        expect(placed.placement.backend).toBe(backend.id);
        expect(
          (await placed.generate('hello', { maxTokens: 2 })).stats.generatedTokens,
        ).toBeGreaterThan(0);
      } finally {
        await placed.dispose();
      }
    });
  });
}

function asGenerator(model: LoadedModel): TextGenerator {
  expect(model.task, 'a GGUF model must load as a text generator').toBe('text-generation');
  return model as TextGenerator;
}
