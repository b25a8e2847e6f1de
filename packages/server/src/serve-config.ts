import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidOptionError, type LoadOptions } from '@npu-first/core';
import { SERVE_OPTION_KEYS, type ServedModel, type ServeOptions } from './options.js';
import type { ListenOptions } from './serve.js';

/** A config file's content: the server's options without the runtime, plus where to listen. */
export type ServeConfig = Omit<ServeOptions, 'runtime' | 'log'> & ListenOptions;

/** The server's options a file can hold (not the runtime, not a function), and where to listen. */
const KEYS = new Set<string>([
  ...SERVE_OPTION_KEYS.filter((k) => k !== 'runtime' && k !== 'log'),
  'host',
  'port',
]);

/**
 * Reads a JSON config file. `models` maps each name to a path, or to `{ path, load }` with
 * load options (policy, threads, backend options…); relative paths are from the file's folder.
 * Option values are checked where they are used, with the same messages as flags.
 */
export async function readServeConfig(file: string): Promise<ServeConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InvalidOptionError('--config', `cannot read ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InvalidOptionError('--config', `${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InvalidOptionError('--config', `${file} must hold a JSON object`);
  const config = raw as Record<string, unknown>;
  for (const key of Object.keys(config))
    if (!KEYS.has(key))
      throw new InvalidOptionError(
        `config ${key}`,
        `unknown; expected one of ${[...KEYS].join(', ')}`,
      );
  const models = config.models;
  if (typeof models !== 'object' || models === null || Array.isArray(models))
    throw new InvalidOptionError(
      'config models',
      'expected an object: { "name": "path/to/model.onnx" }',
    );
  const base = dirname(resolve(file));
  const served: ServedModel[] = Object.entries(models).map(([name, value]) => {
    if (typeof value === 'string') return { name, path: resolve(base, value) };
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { path?: unknown }).path === 'string'
    ) {
      const { path, load, ...rest } = value as { path: string; load?: LoadOptions };
      const unknown = Object.keys(rest)[0];
      if (unknown)
        throw new InvalidOptionError(
          `config models.${name}.${unknown}`,
          'unknown; expected path, load',
        );
      return { name, path: resolve(base, path), ...(load !== undefined ? { load } : {}) };
    }
    throw new InvalidOptionError(
      `config models.${name}`,
      'expected a path or { "path": …, "load": { … } }',
    );
  });
  return { ...(config as Omit<ServeConfig, 'models'>), models: served };
}
