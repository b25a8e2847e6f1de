import { describe, expect, it } from 'vitest';
import { thrown } from '../__fixtures__/thrown.js';
import {
  ContextOverflowError,
  GenerationAbortedError,
  InvalidInputError,
  InvalidOptionError,
  ModelDisposedError,
  RunFailedError,
} from '../errors/errors.js';
import type { GenerationSession } from '../spec/backend-v2.js';
import { countingSession, openGeneration } from './__fixtures__/js-sessions.js';

const open = (session: GenerationSession = countingSession()) => openGeneration(session);

describe('GenerationLifecycle', () => {
  it("reports the engine's token counts, not its chunks", async () => {
    const model = open();
    const { text, stats } = await model.generate('count with me', { maxTokens: 5 });
    expect(text).toBe('1 2 3 4 5');
    // Five tokens came in three chunks.
    expect(stats).toMatchObject({ promptTokens: 3, generatedTokens: 5, stopReason: 'max-tokens' });
    expect(stats.totalMs).toBeGreaterThanOrEqual(stats.timeToFirstTokenMs);
    const ended = await open(countingSession({ endAt: 2 })).generate('go', { maxTokens: 10 });
    expect(ended).toMatchObject({ text: '1 2', stats: { stopReason: 'end-of-text' } });
    const stopped = await model.generate('go', { stop: [' 4'], maxTokens: 10 });
    expect(stopped).toMatchObject({ text: '1 2 3', stats: { stopReason: 'stop-sequence' } });
  });

  it("streams the session's chunks and settles with the same result as generate()", async () => {
    const model = open();
    const stream = model.stream([{ role: 'user', content: 'count' }], { maxTokens: 5 });
    const chunks: string[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toEqual(['1 2', ' 3 4', ' 5']);
    const { text, stats } = await stream.result;
    expect(text).toBe(chunks.join(''));
    expect(stats.generatedTokens).toBe(5);
  });

  it('checks input and options before the engine sees them', async () => {
    const log: string[] = [];
    const model = open(countingSession({}, log));
    expect(InvalidInputError.isInstance(await thrown(model.generate('  ')))).toBe(true);
    expect(
      InvalidInputError.isInstance(
        await thrown(model.generate([{ role: 'assistant', content: 'hi' }])),
      ),
    ).toBe(true);
    expect(await thrown(model.generate('go', { maxTokens: 0 }))).toBeInstanceOf(InvalidOptionError);
    expect(await thrown(model.generate('go', { maxTokens: 65 }))).toBeInstanceOf(
      InvalidOptionError,
    );
    expect(await thrown(model.generate('go', { temprature: 1 } as never))).toBeInstanceOf(
      InvalidOptionError,
    );
    expect(log).toEqual([]);
  });

  it("refuses a prompt that overflows the context, by the session's count", async () => {
    const log: string[] = [];
    const model = open(countingSession({ contextSize: 8 }, log));
    const error = await thrown(model.generate('one two three four', { maxTokens: 5 }));
    expect(ContextOverflowError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ promptTokens: 4, maxTokens: 5, contextSize: 8 });
    expect(log).toEqual([]);
    expect((await model.generate('one two three four', { maxTokens: 4 })).text).toBe('1 2 3 4');
  });

  it('runs generations one at a time, in call order', async () => {
    const log: string[] = [];
    const model = open(countingSession({}, log));
    const results = await Promise.all(
      ['a', 'b', 'c'].map((p) => model.generate(p, { maxTokens: 3 })),
    );
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.text)).toEqual(['1 2 3', '1 2 3', '1 2 3']);
  });

  it("turns an abort into GenerationAbortedError with the engine's counts", async () => {
    const controller = new AbortController();
    const model = open();
    const stream = model.stream('go', { signal: controller.signal, maxTokens: 50 });
    const seen: string[] = [];
    const error = await thrown(
      (async () => {
        for await (const chunk of stream) {
          seen.push(chunk);
          controller.abort();
        }
      })(),
    );
    expect(GenerationAbortedError.isInstance(error)).toBe(true);
    const aborted = error as GenerationAbortedError;
    expect(aborted.text.startsWith(seen.join(''))).toBe(true);
    expect(aborted.generatedTokens).toBe(aborted.text.split(' ').length);
    // Aborted before it starts: the engine is not asked.
    const log: string[] = [];
    const idle = open(countingSession({}, log));
    const early = await thrown(idle.generate('go', { signal: AbortSignal.abort() }));
    expect(early).toMatchObject({ code: 'GENERATION_ABORTED', text: '', generatedTokens: 0 });
    expect(log).toEqual([]);
  });

  it('makes an untyped rejection on abort a GenerationAbortedError with the text so far', async () => {
    const controller = new AbortController();
    const model = open(countingSession({ untypedAbort: true }));
    const stream = model.stream('go', { signal: controller.signal, maxTokens: 50 });
    let seen = '';
    const error = await thrown(
      (async () => {
        for await (const chunk of stream) {
          seen += chunk;
          controller.abort();
        }
      })(),
    );
    expect(GenerationAbortedError.isInstance(error)).toBe(true);
    expect((error as GenerationAbortedError).text.startsWith(seen)).toBe(true);
  });

  it('stops the engine when a stream consumer stops reading', async () => {
    const log: string[] = [];
    const model = open(countingSession({}, log));
    const stream = model.stream('go', { maxTokens: 50 });
    for await (const _ of stream) break;
    expect(GenerationAbortedError.isInstance(await thrown(stream.result))).toBe(true);
    expect(log).toEqual(['start go', 'aborted go']);
    // The next call runs as if alone.
    expect((await model.generate('again', { maxTokens: 2 })).text).toBe('1 2');
  });

  it('types engine failures as RUN_FAILED naming the backend', async () => {
    const error = await thrown(
      open(countingSession({ fail: 'out of memory' })).generate('go', { maxTokens: 3 }),
    );
    expect(RunFailedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ backend: 'cpu-js', reason: 'out of memory' });
  });

  it('waits for the running generation on dispose, releases once, refuses later calls', async () => {
    const log: string[] = [];
    const model = open(countingSession({}, log));
    const running = model.generate('go', { maxTokens: 4 });
    const disposed = [model.dispose(), model[Symbol.asyncDispose]()];
    expect(ModelDisposedError.isInstance(await thrown(model.generate('again')))).toBe(true);
    const stream = model.stream('again');
    expect(ModelDisposedError.isInstance(await thrown(stream.result))).toBe(true);
    await Promise.all(disposed);
    expect((await running).text).toBe('1 2 3 4');
    expect(log).toEqual(['start go', 'end go', 'release']);
  });
});
