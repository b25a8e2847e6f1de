import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../errors/errors.js';
import { withTimeout } from './timeout.js';

/** Holds the event loop, as a plugin's synchronous busy loop would: no timer can fire. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

const never = () => new Promise<never>(() => {});

describe('withTimeout', () => {
  it('passes through a value or an error that comes in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000, 'quick')).resolves.toBe(7);
    await expect(withTimeout(() => Promise.reject(new Error('no')), 1000, 'quick')).rejects.toThrow(
      'no',
    );
    // A synchronous throw from the function form is a rejection, not an exception.
    await expect(
      withTimeout(
        () => {
          throw new Error('sync');
        },
        1000,
        'quick',
      ),
    ).rejects.toThrow('sync');
  });

  it('rejects work that never settles with TIMEOUT and aborts its controller', async () => {
    const controller = new AbortController();
    const error = await withTimeout(never(), 30, 'stuck()', { controller }).catch((e) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error.message).toBe('stuck() did not finish within 30 ms');
    expect(controller.signal.aborted).toBe(true);
  });

  it('names the stage that was running when the time-out came', async () => {
    let stage = 'first';
    const work = async () => {
      await Promise.resolve();
      stage = 'second';
      return never();
    };
    await expect(withTimeout(work, 30, () => `x ${stage}`)).rejects.toThrow(
      'x second did not finish within 30 ms',
    );
  });

  it('counts work that blocks the event loop past its deadline as timed out, and hands its value to onLate', async () => {
    let late: number | undefined;
    const blocked = withTimeout(
      () => {
        block(300);
        return 1;
      },
      100,
      'busy()',
      { onLate: (v) => (late = v) },
    );
    await expect(blocked).rejects.toThrow('busy() did not finish within 100 ms');
    expect(late).toBe(1);
  });

  it('counts an async function that blocks before its first await as timed out', async () => {
    const blocked = withTimeout(
      async () => {
        block(300);
        await new Promise((r) => setTimeout(r, 10));
        return 1;
      },
      100,
      'busy()',
    );
    await expect(blocked).rejects.toThrow(TimeoutError);
  });

  it('does not charge work for a block that happened before it started', async () => {
    const pending = withTimeout(() => 2, 100, 'innocent()');
    block(300); // someone else's busy loop, before the work's microtask runs
    await expect(pending).resolves.toBe(2);
  });

  it('gives pending work one more period when someone else blocked the loop past its deadline', async () => {
    const work = new Promise<number>((r) => setTimeout(() => r(3), 150));
    const pending = withTimeout(work, 100, 'innocent()');
    block(600); // both timers expire during the block; the time-out's fires late
    await expect(pending).resolves.toBe(3);
  });

  it('keeps a short-lived process alive until a hung plugin times out, instead of exiting silently', async () => {
    // Node exits with code 13 and prints nothing when only an unsettled promise is left; the
    // time-out's timer must hold the process so the TimeoutError can be reported.
    const core = join(import.meta.dirname, '..', '..', 'dist', 'index.js');
    const script = `
      import { createRuntime } from ${JSON.stringify(core)};
      const hung = { specificationVersion: 'v1', createBackends: () => new Promise(() => {}) };
      try { await createRuntime({ backends: [hung], pluginTimeoutMs: 200 }); }
      catch (error) { console.log(error.code); }`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script],
      { timeout: 30_000 },
    );
    expect(stdout.trim()).toBe('TIMEOUT');
  });
});
