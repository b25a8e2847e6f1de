import { describe, expect, it } from 'vitest';
import { chunkStream } from './chunk-stream.js';
import { SerialQueue } from './serial-queue.js';

const stats = {
  promptTokens: 1,
  generatedTokens: 3,
  timeToFirstTokenMs: 1,
  tokensPerSecond: 1,
  totalMs: 1,
  stopReason: 'max-tokens' as const,
};

describe('chunkStream', () => {
  it('yields chunks in order as they arrive, then resolves the result', async () => {
    const stream = chunkStream(async (push) => {
      for (const c of ['a', 'b', 'c']) {
        await new Promise((r) => setTimeout(r, 1));
        push(c);
      }
      return { text: 'abc', stats };
    });
    const seen: string[] = [];
    for await (const c of stream) seen.push(c);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect((await stream.result).text).toBe('abc');
  });

  it('keeps the order when chunks arrive in bursts while the consumer is busy', async () => {
    const stream = chunkStream(async (push) => {
      push('a');
      push('b');
      await new Promise((r) => setTimeout(r, 5));
      push('c');
      await new Promise((r) => setTimeout(r, 5));
      push('d');
      push('e');
      return { text: 'abcde', stats };
    });
    const seen: string[] = [];
    for await (const c of stream) {
      seen.push(c);
      if (c === 'c') await new Promise((r) => setTimeout(r, 20)); // busy: d and e queue up
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('rethrows the generation error to the iterator after the chunks before it', async () => {
    const stream = chunkStream(async (push) => {
      push('x');
      throw new Error('engine failed');
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const c of stream) seen.push(c);
      })(),
    ).rejects.toThrow('engine failed');
    expect(seen).toEqual(['x']);
    await expect(stream.result).rejects.toThrow('engine failed');
  });

  it('signals the generation to stop when the consumer breaks early', async () => {
    let stopped = false;
    const stream = chunkStream(async (push, signal) => {
      for (let i = 0; i < 1000 && !signal.aborted; i++) {
        push(String(i));
        await new Promise((r) => setTimeout(r, 1));
      }
      stopped = signal.aborted;
      return { text: '', stats };
    });
    for await (const c of stream) if (c === '2') break;
    await stream.result;
    expect(stopped).toBe(true);
  });
});

describe('SerialQueue', () => {
  it('runs tasks one at a time in call order, past failures', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) =>
      queue.run(async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([task('a', 20), task('b', 1, true), task('c', 1)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});
