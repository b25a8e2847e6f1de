import { describe, expect, it } from 'vitest';
import { jsBackend, MINIMAL_ONNX } from '../chain/__fixtures__/test-backends.js';
import { InvalidOptionError } from '../errors/errors.js';
import { createRuntime } from '../runtime/create-runtime.js';
import type { TensorInfo } from '../spec/tensor.js';
import { checkDimNames, randomTensor, trialFeeds } from './trial-inputs.js';

const inputs: TensorInfo[] = [
  { name: 'audio', type: 'float32', shape: ['batch', 'samples'] },
  { name: 'sr', type: 'int64', shape: [] },
];
const reasonOf = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    if (InvalidOptionError.isInstance(error)) return { option: error.option, reason: error.reason };
    throw error;
  }
  throw new Error('did not throw');
};

describe('sizes for symbolic dimensions', () => {
  it('refuses a name no input has, listing the ones there are', () => {
    expect(reasonOf(() => checkDimNames(inputs, ['sample'], '--dim'))).toEqual({
      option: '--dim.sample',
      reason:
        'the model\'s inputs have no symbolic dimension "sample" (did you mean samples?); its symbolic dimensions are batch, samples',
    });
    expect(reasonOf(() => trialFeeds(inputs, { dims: { seq: 4 } })).option).toBe('trial.dims.seq');
    expect(
      reasonOf(() => checkDimNames([inputs[1] as TensorInfo], ['n'], 'trial.dims')).reason,
    ).toMatch(/it has none: every input dimension is fixed$/);
    expect(trialFeeds(inputs, { dims: { samples: 8 } }).feeds.audio?.dims).toEqual([1, 8]);
    // An unnamed dimension is sized by its input's name and index.
    const unnamed: TensorInfo = { name: 'x', type: 'float32', shape: [null, 3] };
    expect(trialFeeds([unnamed], { dims: { 'x[0]': 2 } })).toMatchObject({
      feeds: { x: { dims: [2, 3] } },
      guessed: {},
    });
  });

  it('refuses, before allocating, a generated input over 1 GiB, saying its size', () => {
    const dims = new Map([['samples', 1e9]]);
    expect(reasonOf(() => randomTensor(inputs[0] as TensorInfo, dims, 1, '--dim'))).toEqual({
      option: '--dim',
      reason:
        'input "audio" would be float32 [1, 1000000000], 3.73 GiB, over the 1 GiB a generated input may take: give its symbolic dimensions smaller sizes',
    });
    expect(randomTensor(inputs[0] as TensorInfo, new Map([['samples', 4]]), 1).dims).toEqual([
      1, 4,
    ]);
  });

  it('refuses trial.dims names the loaded model lacks, also when no trial runs', async () => {
    const runtime = await createRuntime({ env: {}, backends: [jsBackend('cpu-js', 'cpu')] });
    const error = await runtime
      .load(MINIMAL_ONNX, { trial: { dims: { batch: 2 } } })
      .catch((e: unknown) => e);
    expect(InvalidOptionError.isInstance(error) && error.option).toBe('trial.dims.batch');
    const placed = await runtime.load(MINIMAL_ONNX, { trial: { dims: { n: 2 } } });
    expect(placed.placement.backend).toBe('cpu-js');
  });
});
