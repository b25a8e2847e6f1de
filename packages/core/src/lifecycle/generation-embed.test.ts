import { describe, expect, it } from 'vitest';
import { thrown } from '../__fixtures__/thrown.js';
import {
  EmbeddingUnsupportedError,
  GenerationAbortedError,
  InvalidInputError,
  InvalidOptionError,
  ModelDisposedError,
  RunFailedError,
} from '../errors/errors.js';
import { isCallerError } from '../serving/caller-errors.js';
import type { GenerationSession } from '../spec/backend-v2.js';
import {
  countingSession,
  embeddingSession,
  letterCounts,
  openGeneration,
} from './__fixtures__/js-sessions.js';

const open = (session: GenerationSession = embeddingSession()) => openGeneration(session);

describe('GenerationLifecycle.embed', () => {
  it("returns the engine's vectors in input order, with its token count", async () => {
    const model = open();
    const { vectors, promptTokens, totalMs } = await model.embed(['abc', 'b b', 'abc']);
    expect(vectors).toEqual([letterCounts('abc'), letterCounts('b b'), letterCounts('abc')]);
    expect(vectors[0]).not.toEqual(vectors[1]);
    expect(promptTokens).toBe(4);
    expect(totalMs).toBeGreaterThanOrEqual(0);
    // A single string is one text; whitespace is text.
    const one = await model.embed('zz top');
    expect(one).toMatchObject({ vectors: [letterCounts('zz top')], promptTokens: 2 });
    expect((await model.embed(' ')).vectors).toHaveLength(1);
  });

  it('refuses bad input and options before the engine sees them, naming the text', async () => {
    const log: string[] = [];
    const model = open(embeddingSession({}, log));
    const inputOf = async (input: unknown) => {
      const error = await thrown(model.embed(input as string));
      expect(InvalidInputError.isInstance(error)).toBe(true);
      return (error as InvalidInputError).input;
    };
    expect(await inputOf('')).toBe('input');
    expect(await inputOf([])).toBe('input');
    expect(await inputOf(42)).toBe('input');
    expect(await inputOf(null)).toBe('input');
    expect(await inputOf(['a', 'b', 'c', ''])).toBe('input[3]');
    expect(await inputOf(['a', 7])).toBe('input[1]');
    const option = await thrown(model.embed('a', { signl: AbortSignal.abort() } as never));
    expect(option).toBeInstanceOf(InvalidOptionError);
    expect((option as Error).message).toContain('did you mean signal?');
    expect(await thrown(model.embed('a', { signal: 'stop' } as never))).toBeInstanceOf(
      InvalidOptionError,
    );
    expect(log).toEqual([]);
  });

  it('queues embeddings with generations: one engine context at a time, in call order', async () => {
    const log: string[] = [];
    const model = open(embeddingSession({}, log));
    const [first, embedded, last] = await Promise.all([
      model.generate('a', { maxTokens: 2 }),
      model.embed(['x', 'y']),
      model.generate('b', { maxTokens: 2 }),
    ]);
    expect(log).toEqual(['start a', 'end a', 'embed x', 'embed y', 'start b', 'end b']);
    expect([first.text, embedded.vectors.length, last.text]).toEqual(['1 2', 2, '1 2']);
  });

  it('refuses with EMBEDDING_UNSUPPORTED when the session has no embed, a caller error', async () => {
    const error = await thrown(open(countingSession()).embed('hello'));
    expect(EmbeddingUnsupportedError.isInstance(error)).toBe(true);
    expect((error as EmbeddingUnsupportedError).toJSON()).toEqual({
      code: 'EMBEDDING_UNSUPPORTED',
      message: 'cpu-js cannot compute embeddings: its engine session has no embed()',
      backend: 'cpu-js',
      reason: 'its engine session has no embed()',
    });
    // A backend that cannot embed is no reason to move the model off it.
    expect(isCallerError(error)).toBe(true);
  });

  it('stops between texts when the signal aborts, and never starts when it already has', async () => {
    const log: string[] = [];
    const model = open(embeddingSession({}, log));
    const early = await thrown(model.embed(['a'], { signal: AbortSignal.abort() }));
    expect(GenerationAbortedError.isInstance(early)).toBe(true);
    expect(log).toEqual([]);
    const controller = new AbortController();
    const texts = ['a', 'b', 'c', 'd', 'e', 'f'];
    const running = model.embed(texts, { signal: controller.signal });
    // Queued before the engine's first turn: it fires while the first text is embedded.
    setImmediate(() => controller.abort());
    expect(GenerationAbortedError.isInstance(await thrown(running))).toBe(true);
    expect(log).toEqual(['embed a', 'embed aborted']);
    // An engine that rejects with its own error on abort: still GENERATION_ABORTED.
    const careless = open(embeddingSession({ untypedAbort: true }));
    const again = new AbortController();
    const call = careless.embed(texts, { signal: again.signal });
    setImmediate(() => again.abort());
    expect(GenerationAbortedError.isInstance(await thrown(call))).toBe(true);
  });

  it('types engine failures as RUN_FAILED, a vector count that does not match too', async () => {
    const failed = await thrown(open(embeddingSession({ fail: 'out of memory' })).embed('a'));
    expect(RunFailedError.isInstance(failed)).toBe(true);
    expect(failed).toMatchObject({ backend: 'cpu-js', reason: 'out of memory' });
    const short: GenerationSession = {
      ...countingSession(),
      embed: async (texts) => ({ vectors: [letterCounts(texts[0] ?? '')], promptTokens: 2 }),
    };
    const mismatch = await thrown(open(short).embed(['a', 'b']));
    expect(RunFailedError.isInstance(mismatch)).toBe(true);
    expect((mismatch as RunFailedError).reason).toBe(
      'the engine returned 1 embeddings for 2 texts',
    );
  });

  it('waits for a running embed on dispose, then refuses with MODEL_DISPOSED', async () => {
    const log: string[] = [];
    const model = open(embeddingSession({}, log));
    const running = model.embed(['a', 'b']);
    const disposed = model.dispose();
    expect(ModelDisposedError.isInstance(await thrown(model.embed('c')))).toBe(true);
    await disposed;
    expect((await running).vectors).toHaveLength(2);
    expect(log).toEqual(['embed a', 'embed b', 'release']);
  });
});
