import { describe, expect, it } from 'vitest';
import { jsBackend, MINIMAL_ONNX } from '../chain/__fixtures__/test-backends.js';
import { InvalidOptionError } from '../errors/errors.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { tensor } from '../spec/tensor.js';

const feeds = { x: tensor('float32', new Float32Array([1, 2]), [2]) };

describe("a placed graph model's run options", () => {
  it.each([
    ['an unknown key', { output: ['y'] }, 'output', /unknown run option \(known: outputs\)/],
    [
      'outputs as a string',
      { outputs: 'y' },
      'outputs',
      /expected an array of output names; the model's outputs are "y"/,
    ],
    ['no outputs', { outputs: [] }, 'outputs', /lists no output/],
    [
      'an output the model lacks',
      { outputs: ['z'] },
      'outputs',
      /no output "z".*the model's outputs are "y"/,
    ],
    ['options that are not an object', 'fast', 'run options', /expected \{ outputs/],
  ])(
    'refuses %s with INVALID_OPTION, and the next run works',
    async (_what, options, name, reason) => {
      const runtime = await createRuntime({ env: {}, backends: [jsBackend('cpu-js', 'cpu')] });
      const model = await runtime.load(MINIMAL_ONNX, { task: 'graph' });
      const error = await model.run(feeds, options as never).catch((e: unknown) => e);
      expect(InvalidOptionError.isInstance(error) && error.option).toBe(name);
      expect((error as Error).message).toMatch(reason);
      expect(Object.keys(await model.run(feeds, { outputs: ['y'] }))).toEqual(['y']);
    },
  );
});
