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
]);
const TRIAL_KEYS = ['feeds', 'dims', 'refresh', 'runTimeoutMs'];
const TASKS: readonly ModelTask[] = ['graph', 'text-generation'];
const LEVELS: readonly GraphOptimizationLevel[] = ['disabled', 'basic', 'extended', 'all'];

/** Rejects unknown keys and bad values with `InvalidOptionError` before the chain starts. */
export function checkLoadOptions(options: LoadOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('options', 'expected an object');
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
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 1024)) {
    throw new InvalidOptionError(
      'threads',
      `expected a whole number from 1 to 1024, got ${String(threads)}`,
    );
  }
  if (graphOptimizationLevel !== undefined && !LEVELS.includes(graphOptimizationLevel)) {
    throw new InvalidOptionError(
      'graphOptimizationLevel',
      `expected one of ${LEVELS.join(', ')}, got ${String(graphOptimizationLevel)}`,
    );
  }
  if (loadTimeoutMs !== undefined && !(typeof loadTimeoutMs === 'number' && loadTimeoutMs > 0)) {
    throw new InvalidOptionError('loadTimeoutMs', 'expected a positive number of milliseconds');
  }
  if (options.trial !== undefined) checkTrial(options.trial);
  if (backendOptions !== undefined) {
    if (typeof backendOptions !== 'object' || backendOptions === null) {
      throw new InvalidOptionError('backendOptions', 'expected { [backendId]: { …options } }');
    }
    for (const [id, value] of Object.entries(backendOptions)) {
      if (typeof value !== 'object' || value === null)
        throw new InvalidOptionError(`backendOptions.${id}`, 'expected an object');
    }
  }
}

function checkTrial(trial: TrialOptions): void {
  if (typeof trial !== 'object' || trial === null)
    throw new InvalidOptionError('trial', 'expected { feeds?, dims?, refresh?, runTimeoutMs? }');
  for (const key of Object.keys(trial)) {
    if (!TRIAL_KEYS.includes(key))
      throw new InvalidOptionError(
        `trial.${key}`,
        `unknown trial option (known: ${TRIAL_KEYS.join(', ')})`,
      );
  }
  const { feeds, dims, refresh, runTimeoutMs } = trial;
  if (feeds !== undefined && (typeof feeds !== 'object' || feeds === null))
    throw new InvalidOptionError('trial.feeds', 'expected { [inputName]: tensor }');
  if (dims !== undefined) {
    if (typeof dims !== 'object' || dims === null)
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
  if (runTimeoutMs !== undefined && !(typeof runTimeoutMs === 'number' && runTimeoutMs > 0))
    throw new InvalidOptionError(
      'trial.runTimeoutMs',
      'expected a positive number of milliseconds',
    );
}
