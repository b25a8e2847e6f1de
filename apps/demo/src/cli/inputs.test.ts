import { InvalidOptionError, type TensorInfo } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import { buildFeeds, parseDims } from './inputs.js';

const inputs: TensorInfo[] = [
  { name: 'input', type: 'float32', shape: ['batch', 'samples'] },
  { name: 'sr', type: 'int64', shape: [] },
];
const failure = async (p: Promise<unknown>) => {
  const error = await p.catch((e: unknown) => e);
  if (!InvalidOptionError.isInstance(error)) throw error;
  return { option: error.option, reason: error.reason };
};

describe('--dim', () => {
  it.each([['x=0'], ['x=-1'], ['x=1.5'], ['x=abc'], ['x=1e400']])('refuses %s', async (flag) => {
    expect(await failure(Promise.resolve().then(() => parseDims([flag])))).toMatchObject({
      option: '--dim',
    });
  });

  it("refuses a name the model's inputs lack, listing the ones they have", async () => {
    expect(await failure(buildFeeds(inputs, new Map(), parseDims(['sample=8'])))).toEqual({
      option: '--dim',
      reason:
        'the model\'s inputs have no symbolic dimension "sample" (did you mean samples?); its symbolic dimensions are batch, samples',
    });
  });

  it('refuses a random input over 1 GiB before allocating it, saying its size', async () => {
    const { reason } = await failure(buildFeeds(inputs, new Map(), parseDims(['samples=1e9'])));
    expect(reason).toBe(
      'input "input" would be float32 [1, 1000000000], 3.73 GiB, over the 1 GiB a generated input may take: give its symbolic dimensions smaller sizes',
    );
    const { feeds } = await buildFeeds(inputs, new Map(), parseDims(['samples=8']));
    expect(feeds.input?.dims).toEqual([1, 8]);
  });
});
