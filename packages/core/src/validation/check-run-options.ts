import { InvalidOptionError } from '../errors/errors.js';
import type { RunOptions } from '../spec/backend.js';
import type { TensorInfo } from '../spec/tensor.js';
import { didYouMean } from './did-you-mean.js';

const RUN_KEYS = ['outputs'];

/**
 * Checks `run()` options against the model before an engine sees them: no unknown keys, and
 * `outputs` a non-empty array of names the model has (a string would be read letter by letter,
 * an empty list fails inside the engine). Throws `InvalidOptionError` listing the model's outputs.
 */
export function checkRunOptions(options: unknown, outputs: readonly TensorInfo[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new InvalidOptionError('run options', 'expected { outputs?: [output names] }');
  for (const key of Object.keys(options)) {
    if (!RUN_KEYS.includes(key))
      throw new InvalidOptionError(key, `unknown run option (known: ${RUN_KEYS.join(', ')})`);
  }
  const wanted = (options as RunOptions).outputs;
  if (wanted === undefined) return;
  const names = outputs.map((o) => o.name);
  const known = `the model's outputs are ${names.map((n) => `"${n}"`).join(', ')}`;
  if (!Array.isArray(wanted))
    throw new InvalidOptionError('outputs', `expected an array of output names; ${known}`);
  if (wanted.length === 0)
    throw new InvalidOptionError('outputs', `lists no output (leave it out for all); ${known}`);
  for (const name of wanted) {
    if (typeof name !== 'string' || !names.includes(name))
      throw new InvalidOptionError(
        'outputs',
        `the model has no output ${JSON.stringify(name)}${typeof name === 'string' ? didYouMean(name, names) : ''}; ${known}`,
      );
  }
}
