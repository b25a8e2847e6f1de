import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../errors/errors.js';
import type { Policy } from '../policy/policy.js';
import type { TrialOptions } from '../selection/trial-inputs.js';
import type { CommonLoadOptions, GraphOptimizationLevel, ModelTask } from '../spec/backend.js';
import type { BackendOptions } from '../spec/backend-options.js';

/** Options for `runtime.load()`. */
export interface LoadOptions extends CommonLoadOptions {
  /** Overrides the runtime's policy for this load; `NPU_FIRST_POLICY` still wins. */
  readonly policy?: Policy;
  /**
   * Options for one backend, keyed by its id: `{ 'cpu-onnxruntime': { … } }` — typed for the
   * known backends (`BackendOptionsMap`, which plugins extend).
   */
  readonly backendOptions?: BackendOptions;
  /** Bound on each backend's `load()`, in ms. Default: the runtime's `loadTimeoutMs`. */
  readonly loadTimeoutMs?: number;
  /**
   * The task the caller expects (`graph` for ONNX, `text-generation` for GGUF). Types the
   * result, and a model of another kind is refused with `MODEL_FORMAT_UNSUPPORTED`.
   */
  readonly task?: ModelTask;
  /**
   * The inputs measured selection times candidates on: sample `feeds` of your real shapes, or
   * `dims` for symbolic dimensions of generated inputs (guessed as 1 otherwise, and the
   * placement says so); `refresh` measures again instead of using cached verdicts.
   */
  readonly trial?: TrialOptions;
  /**
   * Load and run the model in a child process of its own (see docs/isolation.md), for models
   * you do not trust: a native engine crash then rejects with `ENGINE_CRASHED` instead of
   * killing this process, and the chain goes on without the backend that crashed. Costs a
   * process start per load and an IPC round trip per call. Needs a runtime made by discovery.
   */
  readonly isolate?: boolean;
  /**
   * Move the model to the next backend of its chain when a run or generation fails on its
   * engine or device, and make the call again there (docs/failover.md). Default: the
   * runtime's `failover` (true).
   */
  readonly failover?: boolean;
  /**
   * Bound on each `run()` of a graph model, in ms: a run past it fails with `TIMEOUT` (and
   * fails over). Default: none. Generations are not bounded by it; abort them with `signal`.
   */
  readonly runTimeoutMs?: number;
  /**
   * Resolve as soon as the CPU tier serves the model while the preferred accelerator loads in
   * the background and takes over when ready (event `handover`). Measured selection is skipped.
   */
  readonly warmStart?: boolean;
}

const KEYS = new Set([
  'policy',
  'backendOptions',
  'loadTimeoutMs',
  'threads',
  'graphOptimizationLevel',
  'contextSize',
  'task',
  'trial',
  'isolate',
  'failover',
  'runTimeoutMs',
  'warmStart',
]);
const TRIAL_KEYS = ['feeds', 'dims', 'refresh', 'runTimeoutMs'];
const TASKS: readonly ModelTask[] = ['graph', 'text-generation'];
const LEVELS: readonly GraphOptimizationLevel[] = ['disabled', 'basic', 'extended', 'all'];

/** Rejects unknown keys and bad values with `InvalidOptionError` before the chain starts. */
export function checkLoadOptions(options: LoadOptions): void {
  if (!isPlainObject(options)) throw new InvalidOptionError('options', 'expected an object');
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key))
      throw new InvalidOptionError(key, `unknown load option (known: ${[...KEYS].join(', ')})`);
  }
  const { threads, graphOptimizationLevel, backendOptions, loadTimeoutMs, contextSize, task } =
    options;
  if (task !== undefined && !TASKS.includes(task)) {
    throw new InvalidOptionError('task', `expected ${TASKS.join(' or ')}, got ${String(task)}`);
  }
  if (contextSize !== undefined && !(Number.isInteger(contextSize) && contextSize >= 16)) {
    throw new InvalidOptionError(
      'contextSize',
      `expected a whole number of tokens ≥ 16, got ${String(contextSize)}`,
    );
  }
  if (threads !== undefined) checkThreads(threads);
  if (graphOptimizationLevel !== undefined && !LEVELS.includes(graphOptimizationLevel)) {
    throw new InvalidOptionError(
      'graphOptimizationLevel',
      `expected one of ${LEVELS.join(', ')}, got ${String(graphOptimizationLevel)}`,
    );
  }
  if (loadTimeoutMs !== undefined) checkMilliseconds('loadTimeoutMs', loadTimeoutMs);
  if (options.trial !== undefined) checkTrial(options.trial);
  for (const key of ['isolate', 'failover', 'warmStart'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean')
      throw new InvalidOptionError(
        key,
        `expected true or false, got ${describeValue(options[key])}`,
      );
  }
  if (options.runTimeoutMs !== undefined) checkMilliseconds('runTimeoutMs', options.runTimeoutMs);
  if (backendOptions !== undefined) {
    if (!isPlainObject(backendOptions)) {
      throw new InvalidOptionError('backendOptions', 'expected { [backendId]: { …options } }');
    }
    for (const [id, value] of Object.entries(backendOptions)) {
      if (!isPlainObject(value))
        throw new InvalidOptionError(`backendOptions.${id}`, 'expected an object of options');
    }
  }
}

function checkTrial(trial: TrialOptions): void {
  if (!isPlainObject(trial))
    throw new InvalidOptionError('trial', 'expected { feeds?, dims?, refresh?, runTimeoutMs? }');
  for (const key of Object.keys(trial)) {
    if (!TRIAL_KEYS.includes(key))
      throw new InvalidOptionError(
        `trial.${key}`,
        `unknown trial option (known: ${TRIAL_KEYS.join(', ')})`,
      );
  }
  const { feeds, dims, refresh, runTimeoutMs } = trial;
  if (feeds !== undefined && !isPlainObject(feeds))
    throw new InvalidOptionError('trial.feeds', 'expected { [inputName]: tensor }');
  if (dims !== undefined) {
    if (!isPlainObject(dims))
      throw new InvalidOptionError('trial.dims', 'expected { [dimensionName]: size }');
    for (const [name, size] of Object.entries(dims)) {
      if (!(Number.isInteger(size) && size >= 1))
        throw new InvalidOptionError(
          `trial.dims.${name}`,
          `expected a whole number ≥ 1, got ${String(size)}`,
        );
    }
  }
  if (refresh !== undefined && typeof refresh !== 'boolean')
    throw new InvalidOptionError('trial.refresh', 'expected true or false');
  if (runTimeoutMs !== undefined) checkMilliseconds('trial.runTimeoutMs', runTimeoutMs);
}

/**
 * More threads than the machine's logical cores only oversubscribe it (and each engine
 * thread costs start-up time: 1024 took 45 s to load on two cores), so they are refused.
 */
function checkThreads(threads: unknown): void {
  const cores = availableParallelism();
  if (!(Number.isInteger(threads) && (threads as number) >= 1 && (threads as number) <= cores)) {
    throw new InvalidOptionError(
      'threads',
      `expected a whole number from 1 to ${cores} (this machine's logical cores), got ${String(threads)}`,
    );
  }
}

/** A time-out: a positive, finite number of milliseconds (a string or NaN would disable it). */
export function checkMilliseconds(option: string, value: unknown): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new InvalidOptionError(
      option,
      `expected a positive, finite number of milliseconds, got ${describeValue(value)}`,
    );
  }
}

/** An object literal's shape: not null, not an array. */
export function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a message shows it: strings quoted, so `"abc"` is told from `abc`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}
