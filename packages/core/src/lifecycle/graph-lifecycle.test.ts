import { describe, expect, it } from 'vitest';
import { thrown } from '../__fixtures__/thrown.js';
import {
  InvalidInputError,
  InvalidOptionError,
  ModelDisposedError,
  RunFailedError,
} from '../errors/errors.js';
import type { GraphSession } from '../spec/backend-v2.js';
import { type Feeds, type Tensor, tensor } from '../spec/tensor.js';
import { checkRunOptions } from '../validation/check-run-options.js';
import { validateFeeds } from '../validation/validate-feeds.js';
import { addOneSession, newLog } from './__fixtures__/js-sessions.js';
import { GraphLifecycle } from './graph-lifecycle.js';

const DEVICE = { name: 'JavaScript' };
const open = (session: GraphSession<Float32Array> = addOneSession(), concurrentRuns?: boolean) =>
  new GraphLifecycle(session, DEVICE, {
    name: 'add-one.onnx',
    backendId: 'cpu-js',
    ...(concurrentRuns !== undefined ? { capabilities: { concurrentRuns } } : {}),
  });
const feedsOf = (...values: number[]): Feeds => ({
  x: tensor('float32', Float32Array.from(values), [values.length / 3, 3]),
});

describe('GraphLifecycle', () => {
  it('runs the session for every output by default, and for the outputs asked for', async () => {
    const log = newLog();
    const model = open(addOneSession(log));
    const all = await model.run(feedsOf(1, 2, 3));
    expect(Object.keys(all)).toEqual(['y', 'z']);
    expect([...(all.y as Tensor).data]).toEqual([2, 3, 4]);
    expect([...(all.z as Tensor).data]).toEqual([2, 4, 6]);
    const some = await model.run(feedsOf(1, 2, 3), { outputs: ['z'] });
    expect(Object.keys(some)).toEqual(['z']);
    expect(log.events.filter((e) => e.startsWith('run'))).toEqual(['run y,z', 'run z']);
  });

  it("refuses an unknown output with core's message, before the session sees it", async () => {
    const log = newLog();
    const model = open(addOneSession(log));
    const options = { outputs: ['w'] };
    const error = await thrown(model.run(feedsOf(1, 2, 3), options));
    expect(InvalidOptionError.isInstance(error)).toBe(true);
    const expected = (() => {
      try {
        checkRunOptions(options, model.outputs);
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect((error as Error).message).toBe(expected);
    expect(await thrown(model.run(feedsOf(1, 2, 3), { outputs: [] }))).toBeInstanceOf(
      InvalidOptionError,
    );
    expect(await thrown(model.run(feedsOf(1, 2, 3), { output: ['y'] } as never))).toBeInstanceOf(
      InvalidOptionError,
    );
    expect(log.events).toEqual([]);
  });

  it('refuses bad feeds with the errors validateFeeds gives', async () => {
    const model = open();
    const bad: Feeds[] = [
      { x: tensor('float32', new Float32Array(4), [4]) },
      { x: tensor('int32', new Int32Array(3), [1, 3]) },
      {},
      { ...feedsOf(1, 2, 3), extra: tensor('float32', new Float32Array(1), [1]) },
    ];
    for (const feeds of bad) {
      const error = await thrown(model.run(feeds));
      expect(InvalidInputError.isInstance(error)).toBe(true);
      expect(() => validateFeeds(model.inputs, feeds)).toThrow((error as Error).message);
    }
    // Refused feeds leave the model working.
    expect([...((await model.run(feedsOf(1, 2, 3))).y as Tensor).data]).toEqual([2, 3, 4]);
  });

  it('validates and prepares feeds once while a loop refills the same tensors', async () => {
    const log = newLog();
    const model = open(addOneSession(log));
    const feeds = feedsOf(1, 2, 3);
    const x = feeds.x as Tensor<'float32'>;
    for (let i = 0; i < 3; i++) {
      x.data.fill(i);
      expect([...((await model.run(feeds)).y as Tensor).data]).toEqual([i + 1, i + 1, i + 1]);
    }
    expect(log.prepared).toBe(1);
    // A new buffer is prepared again; dims that no longer fit the data are refused again.
    (x as { data: Float32Array }).data = Float32Array.from([5, 5, 5]);
    expect([...((await model.run(feeds)).y as Tensor).data]).toEqual([6, 6, 6]);
    expect(log.prepared).toBe(2);
    (x as { dims: readonly number[] }).dims = [3, 3];
    expect(InvalidInputError.isInstance(await thrown(model.run(feeds)))).toBe(true);
    expect(log.prepared).toBe(2);
  });

  it('drains runs in flight before releasing, once, and refuses runs after dispose', async () => {
    const log = newLog();
    const model = open(addOneSession(log));
    const runs = [model.run(feedsOf(1, 2, 3)), model.run(feedsOf(4, 5, 6))];
    const first = model.dispose();
    const second = model[Symbol.asyncDispose]();
    expect(ModelDisposedError.isInstance(await thrown(model.run(feedsOf(1, 2, 3))))).toBe(true);
    await Promise.all([first, second, ...runs]);
    expect([...((await (runs[1] as Promise<Record<string, Tensor>>)).y as Tensor).data]).toEqual([
      5, 6, 7,
    ]);
    expect(log.events).toEqual(['run y,z', 'run y,z', 'ran', 'ran', 'release']);
    await model.dispose();
    expect(log.events.filter((e) => e === 'release')).toHaveLength(1);
  });

  it('runs concurrently by default, one at a time when the backend says so', async () => {
    const concurrent = newLog();
    const a = open(addOneSession(concurrent));
    await Promise.all([a.run(feedsOf(1, 2, 3)), a.run(feedsOf(1, 2, 3))]);
    expect(concurrent.maxRunning).toBe(2);
    const queued = newLog();
    const b = open(addOneSession(queued), false);
    const results = await Promise.all([b.run(feedsOf(1, 2, 3)), b.run(feedsOf(7, 8, 9))]);
    expect(queued.maxRunning).toBe(1);
    expect([...(results[1].z as Tensor).data]).toEqual([14, 16, 18]);
    await b.dispose();
    expect(queued.events.at(-1)).toBe('release');
  });

  it('gives each concurrent run its own result, with its own outputs, queued or not', async () => {
    for (const concurrentRuns of [true, false]) {
      const model = open(addOneSession(), concurrentRuns);
      const calls = [1, 2, 3, 4, 5, 6].map((v) => ({
        feeds: feedsOf(v, v, v, -v, -v, -v),
        outputs: v % 2 === 0 ? ['z'] : ['y', 'z'],
      }));
      const results = await Promise.all(
        calls.map((c) => model.run(c.feeds, { outputs: c.outputs })),
      );
      for (const [i, result] of results.entries()) {
        const v = i + 1;
        expect(Object.keys(result)).toEqual(calls[i]?.outputs);
        expect([...(result.z as Tensor).data]).toEqual([
          2 * v,
          2 * v,
          2 * v,
          -2 * v,
          -2 * v,
          -2 * v,
        ]);
        if (result.y)
          expect([...result.y.data]).toEqual([v + 1, v + 1, v + 1, 1 - v, 1 - v, 1 - v]);
      }
      await model.dispose();
    }
  });

  it('types engine errors: RUN_FAILED naming the backend, typed errors unchanged', async () => {
    const session = addOneSession();
    const failing = open({
      ...session,
      run: async () => {
        throw new Error('device lost');
      },
    });
    const error = await thrown(failing.run(feedsOf(1, 2, 3)));
    expect(RunFailedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ backend: 'cpu-js', reason: 'device lost' });
    const typed = new InvalidInputError('x', 'a smaller batch', 'batch 2');
    const picky = open({
      ...session,
      run: async () => {
        throw typed;
      },
    });
    expect(await thrown(picky.run(feedsOf(1, 2, 3)))).toBe(typed);
  });

  it('carries the details the load reported, and the note the trace shows', () => {
    const model = new GraphLifecycle(addOneSession(), DEVICE, {
      name: 'm',
      backendId: 'npu-js',
      details: {
        coverage: { onDevice: 41, total: 45, unit: 'nodes', note: '41/45 nodes on the NPU' },
        threads: { count: 2, why: 'small model' },
        note: 'compiled in 12 ms',
      },
    });
    expect(model.details?.threads).toEqual({ count: 2, why: 'small model' });
    expect(model.placementNote).toBe('41/45 nodes on the NPU; compiled in 12 ms');
    expect(model.device).toBe(DEVICE);
    expect(open().placementNote).toBeUndefined();
  });
});
