import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidOptionError, type Tensor, type TensorInfo } from '@npu-first/core';
import { dump, type DType as NpyDType } from 'npyjs';

/** Where `run --output` writes: output name → `.npy` path. */
export type OutputTargets = ReadonlyMap<string, string>;

/**
 * Parses `--output file.npy` (the model's first output) and `--output name=file.npy` (that
 * output), checked against the model's outputs before it runs.
 */
export function parseOutputTargets(
  values: readonly string[] = [],
  outputs: readonly TensorInfo[],
): OutputTargets {
  const names = outputs.map((o) => o.name);
  const targets = new Map<string, string>();
  for (const value of values) {
    const eq = value.indexOf('=');
    const named = eq > 0 && names.includes(value.slice(0, eq));
    if (eq > 0 && !named && !value.slice(0, eq).includes('.')) {
      throw new InvalidOptionError(
        '--output',
        `the model has no output "${value.slice(0, eq)}" (outputs: ${names.join(', ')})`,
      );
    }
    const name = named ? value.slice(0, eq) : names[0];
    const path = named ? value.slice(eq + 1) : value;
    if (name === undefined) throw new InvalidOptionError('--output', 'the model has no outputs');
    if (path === '') throw new InvalidOptionError('--output', `"${value}" names no file`);
    if (targets.has(name))
      throw new InvalidOptionError('--output', `output "${name}" is given more than once`);
    targets.set(name, path);
  }
  return targets;
}

/** The `.npy` dtypes of tensor types whose storage npyjs cannot tell apart. */
const NPY_DTYPES: Partial<Record<Tensor['type'], NpyDType>> = { float16: 'f2', bool: 'b1' };

/** A tensor as the bytes of a NumPy `.npy` file (little-endian, C order), encoded by npyjs. */
export function encodeNpy(name: string, tensor: Tensor): Uint8Array {
  if (tensor.type === 'string')
    throw new InvalidOptionError('--output', `output "${name}" holds strings, which .npy cannot`);
  const dtype = NPY_DTYPES[tensor.type];
  return new Uint8Array(dump(tensor.data, [...tensor.dims], dtype ? { dtype } : {}));
}

/**
 * Writes each targeted output as a `.npy` file, replacing a file already there (as `cp` or
 * `curl -o` do). Returns output name → absolute path written.
 */
export async function writeNpyOutputs(
  results: Readonly<Record<string, Tensor>>,
  targets: OutputTargets,
): Promise<Record<string, string>> {
  const written: Record<string, string> = {};
  for (const [name, path] of targets) {
    const tensor = results[name];
    if (tensor === undefined)
      throw new InvalidOptionError('--output', `the run returned no output "${name}"`);
    const bytes = encodeNpy(name, tensor);
    try {
      await writeFile(path, bytes);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new InvalidOptionError('--output', `cannot write ${path} (${code})`);
    }
    written[name] = resolve(path);
  }
  return written;
}
