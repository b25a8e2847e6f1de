import {
  checkLoadOptions,
  InvalidOptionError,
  type LoadOptions,
  type Runtime,
} from '@npu-first/core';

/** One model the server serves, by the name clients use. Requests never name files. */
export interface ServedModel {
  /** The id clients send as `model` (letters, digits, `.`, `_`, `-`, `:`). */
  readonly name: string;
  /** Path of the `.onnx` or `.gguf` file on the server's machine. */
  readonly path: string;
  /** Options for `runtime.load()`: policy, threads, backend options, failover, warm start… */
  readonly load?: LoadOptions;
}

export interface ServeOptions {
  /** The runtime that places the models (the CLI passes its own, with the environment's overrides). */
  readonly runtime: Runtime;
  readonly models: readonly ServedModel[];
  /** With a key, every route but `/healthz` needs `Authorization: Bearer <key>`. */
  readonly apiKey?: string;
  /** Load every model before answering (default: on first use). */
  readonly preload?: boolean;
  /** Unload a model after this long without requests; 0 never (default 300 000 ms). */
  readonly idleUnloadMs?: number;
  /** Requests one model holds, running and waiting; beyond it, 429 (default 64). */
  readonly maxQueue?: number;
  /** Largest request body, in bytes (default 16 MiB: graph tensors travel as JSON). */
  readonly bodyLimitBytes?: number;
  /** On `close()`, how long requests in flight get to finish before they are stopped (default 30 000 ms). */
  readonly drainTimeoutMs?: number;
  /** Where lines about loads, unloads, failovers and internal errors go (default: nowhere). */
  readonly log?: (line: string) => void;
}

export const DEFAULTS = {
  idleUnloadMs: 300_000,
  maxQueue: 64,
  bodyLimitBytes: 16 * 1024 * 1024,
  drainTimeoutMs: 30_000,
} as const;

export type ResolvedServeOptions = Required<Omit<ServeOptions, 'apiKey'>> &
  Pick<ServeOptions, 'apiKey'>;

/** Every option `ServeOptions` has. */
export const SERVE_OPTION_KEYS = [
  'runtime',
  'models',
  'apiKey',
  'preload',
  'idleUnloadMs',
  'maxQueue',
  'bodyLimitBytes',
  'drainTimeoutMs',
  'log',
] as const;
const KEYS = new Set<string>(SERVE_OPTION_KEYS);
const MODEL_KEYS = new Set(['name', 'path', 'load']);
export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Checks what an application (or the CLI) passed, naming the option that is wrong. */
export function resolveServeOptions(options: ServeOptions): ResolvedServeOptions {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('serve', 'expected an options object');
  for (const key of Object.keys(options))
    if (!KEYS.has(key))
      throw new InvalidOptionError(key, `unknown; expected one of ${[...KEYS].join(', ')}`);
  if (typeof options.runtime?.load !== 'function')
    throw new InvalidOptionError('runtime', 'expected a runtime from createRuntime()');
  const models = options.models;
  if (!Array.isArray(models) || models.length === 0)
    throw new InvalidOptionError(
      'models',
      'give at least one model, e.g. { name: "vad", path: "silero.onnx" }',
    );
  const seen = new Set<string>();
  models.forEach((m: ServedModel, i) => {
    const at = `models[${i}]`;
    if (typeof m !== 'object' || m === null)
      throw new InvalidOptionError(at, 'expected { name, path }');
    for (const key of Object.keys(m))
      if (!MODEL_KEYS.has(key))
        throw new InvalidOptionError(`${at}.${key}`, 'unknown; expected name, path, load');
    if (typeof m.name !== 'string' || !MODEL_NAME.test(m.name))
      throw new InvalidOptionError(
        `${at}.name`,
        `${JSON.stringify(m.name)} is not a model name (letters, digits, ".", "_", "-", ":"; at most 128)`,
      );
    if (seen.has(m.name)) throw new InvalidOptionError(`${at}.name`, `"${m.name}" is served twice`);
    seen.add(m.name);
    if (typeof m.path !== 'string' || m.path === '')
      throw new InvalidOptionError(`${at}.path`, 'expected the path of an .onnx or .gguf file');
    if (m.load !== undefined) {
      // Checked now, not at the first request: a typo in a config is the operator's, not a client's.
      try {
        checkLoadOptions(m.load);
      } catch (error) {
        if (!InvalidOptionError.isInstance(error)) throw error;
        const key = error.option === 'options' ? '' : `.${error.option}`;
        throw new InvalidOptionError(`${at}.load${key}`, error.reason);
      }
    }
  });
  if (
    options.apiKey !== undefined &&
    (typeof options.apiKey !== 'string' || options.apiKey.length < 8)
  )
    throw new InvalidOptionError('apiKey', 'expected a string of at least 8 characters');
  if (options.log !== undefined && typeof options.log !== 'function')
    throw new InvalidOptionError('log', 'expected a function taking one line of text');
  if (options.preload !== undefined && typeof options.preload !== 'boolean')
    throw new InvalidOptionError('preload', 'expected true or false');
  return {
    runtime: options.runtime,
    models,
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    preload: options.preload ?? false,
    idleUnloadMs: whole('idleUnloadMs', options.idleUnloadMs, DEFAULTS.idleUnloadMs, 0),
    maxQueue: whole('maxQueue', options.maxQueue, DEFAULTS.maxQueue, 1),
    bodyLimitBytes: whole('bodyLimitBytes', options.bodyLimitBytes, DEFAULTS.bodyLimitBytes, 1024),
    drainTimeoutMs: whole('drainTimeoutMs', options.drainTimeoutMs, DEFAULTS.drainTimeoutMs, 0),
    log: options.log ?? (() => {}),
  };
}

function whole(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw new InvalidOptionError(
      name,
      `expected a whole number ≥ ${min}, got ${JSON.stringify(value)}`,
    );
  return value;
}
