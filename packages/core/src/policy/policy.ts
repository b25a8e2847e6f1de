import { InvalidOptionError } from '../errors/errors.js';
import type { PolicySource } from '../placement/placement.js';
import { DEVICE_KINDS, type DeviceKind } from '../spec/backend.js';
import type { BackendOptionsMap } from '../spec/backend-options.js';

/** Named policies. `npu-first` is the default: NPU, then GPU, then CPU. */
export const POLICY_PRESETS = {
  'npu-first': ['npu', 'gpu', 'cpu'],
  'gpu-first': ['gpu', 'npu', 'cpu'],
  'cpu-only': ['cpu'],
} as const satisfies Record<string, readonly DeviceKind[]>;
export type PolicyPreset = keyof typeof POLICY_PRESETS;

/**
 * Which backends the chain may try, and in what order.
 * - `order`: device kinds and/or backend ids, tried left to right; a kind expands to its
 *   backends by priority. Default `['npu', 'gpu', 'cpu']`.
 * - `include`: only these backend ids or kinds are tried.
 * - `exclude`: these backend ids or kinds are never tried.
 */
export interface PolicyObject {
  readonly order?: readonly string[];
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /**
   * How the chain commits when more than one backend can serve a model (see `selection`):
   * `preferred` (default), `latency` or `first`.
   */
  readonly selection?: Selection;
  /**
   * For `selection: 'preferred'`: how many times slower than the fastest measured candidate the
   * policy's preferred backend may be and still be kept. Default per device kind
   * ({@link DEFAULT_TOLERANCE}).
   */
  readonly tolerance?: number;
}

/**
 * How the chain commits to a backend when more than one can serve a model.
 * - `preferred` (default): the candidates that matter are timed on the model's inputs; the
 *   policy's preferred backend is kept unless it is slower than the fastest by more than its
 *   tolerance.
 * - `latency`: the candidates are timed and the fastest serves.
 * - `first`: the first backend that loads serves, unmeasured.
 */
export type Selection = 'preferred' | 'latency' | 'first';
export const SELECTIONS: readonly Selection[] = ['preferred', 'latency', 'first'];

/**
 * How many times slower than the fastest candidate the preferred backend may be and still be
 * kept, by its device kind. An NPU runs at a fraction of a CPU's power, so one up to 2× slower
 * still costs less energy a run; a GPU slower than the CPU burns more power for nothing, so it
 * gets only the slack of measurement noise plus the value of leaving the CPU free (1.25×);
 * between two CPU backends the policy's order holds within 10 %. A GPU 27× slower than the CPU
 * is never kept.
 */
export const DEFAULT_TOLERANCE: Readonly<Record<DeviceKind, number>> = {
  npu: 2,
  gpu: 1.25,
  cpu: 1.1,
};

/** A backend id the typed options map knows (`BackendOptionsMap`, which plugins extend). */
type KnownBackendId = keyof BackendOptionsMap & string;
type OrderItem = DeviceKind | KnownBackendId;
type ClauseKey = 'order' | 'include' | 'exclude' | 'selection' | 'tolerance';

/**
 * The text form {@link parsePolicy} reads, typed as far as a template can: a preset, a device
 * kind or a known backend id, a list starting with one (`gpu,cpu`), clauses (`order=…;…`), or one
 * of those followed by clauses (`npu-first;selection=first`). A typo of the first word
 * (`npu-frist`, `CPU`) does not compile; the rest is checked when the policy is parsed.
 */
export type PolicyText =
  | PolicyPreset
  | OrderItem
  | `${OrderItem},${string}`
  | `${PolicyPreset | OrderItem};${string}`
  | `${ClauseKey}=${string}`;

/** A preset, an object, or the text form {@link parsePolicy} reads (`"gpu,cpu"`). */
export type Policy = PolicyText | PolicyObject;

/** The environment variable that overrides any policy given in code. */
export const POLICY_ENV = 'NPU_FIRST_POLICY';

/** A policy in one normal form, with a text that round-trips through {@link parsePolicy}. */
export interface ResolvedPolicy {
  readonly order: readonly string[];
  readonly include: readonly string[] | undefined;
  readonly exclude: readonly string[];
  readonly selection: Selection;
  /** The tolerance the caller set; `undefined`: {@link DEFAULT_TOLERANCE} by device kind. */
  readonly tolerance: number | undefined;
  readonly source: PolicySource;
  readonly text: string;
}

/**
 * Parses the text form used by `NPU_FIRST_POLICY` and the CLI's `--policy`:
 * - a preset: `npu-first`, `gpu-first`, `cpu-only`;
 * - an order: `gpu,cpu` or `cpu-onnxruntime,npu`;
 * - clauses separated by `;`: `order=gpu,cpu;exclude=gpu-onnxruntime-webgpu;include=…`;
 * - how to commit (see {@link Selection}): `selection=first`, `selection=latency`,
 *   `tolerance=1.5`, alone or after an order: `npu-first;selection=first`.
 */
export function parsePolicy(text: string, option = POLICY_ENV): PolicyObject {
  const trimmed = text.trim();
  if (trimmed === '') throw new InvalidOptionError(option, 'the policy is empty');
  const policy: {
    order?: string[];
    include?: string[];
    exclude?: string[];
    selection?: Selection;
    tolerance?: number;
  } = {};
  const clauses = trimmed.split(';').filter((c) => c.trim() !== '');
  for (const [index, clause] of clauses.entries()) {
    const eq = clause.indexOf('=');
    if (eq < 0) {
      // A bare first clause is the order: a preset or a list (`gpu,cpu`).
      if (index > 0)
        throw new InvalidOptionError(
          option,
          `"${clause.trim()}" is not order=…, include=…, exclude=…, selection=… or tolerance=…`,
        );
      const bare = clause.trim();
      policy.order =
        bare in POLICY_PRESETS
          ? [...POLICY_PRESETS[bare as PolicyPreset]]
          : list(bare, option, 'order');
      continue;
    }
    const key = clause.slice(0, eq).trim();
    const value = clause.slice(eq + 1).trim();
    if (key === 'selection') {
      if (!(SELECTIONS as readonly string[]).includes(value))
        throw new InvalidOptionError(
          option,
          `selection=${value}: expected ${SELECTIONS.join(', ')}`,
        );
      policy.selection = value as Selection;
      continue;
    }
    if (key === 'tolerance') {
      policy.tolerance = checkTolerance(Number(value), option, value);
      continue;
    }
    if (key !== 'order' && key !== 'include' && key !== 'exclude') {
      throw new InvalidOptionError(
        option,
        `"${clause.trim()}" is not order=…, include=…, exclude=…, selection=… or tolerance=…`,
      );
    }
    const values = list(value, option, key);
    const preset = values.length === 1 ? (values[0] as string) : '';
    policy[key] =
      key === 'order' && preset in POLICY_PRESETS
        ? [...POLICY_PRESETS[preset as PolicyPreset]]
        : values;
  }
  return policy;
}

function checkTolerance(value: number, option: string, text: string = String(value)): number {
  if (!(Number.isFinite(value) && value >= 1)) {
    throw new InvalidOptionError(
      option,
      `tolerance ${text}: expected a number ≥ 1 (how many times slower than the fastest candidate the preferred backend may be)`,
    );
  }
  return value;
}

function list(text: string, option: string, key: string): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new InvalidOptionError(option, `${key} lists nothing`);
  for (const item of items) {
    if (!/^[a-z0-9@/._-]+$/i.test(item))
      throw new InvalidOptionError(option, `"${item}" is not a backend id or device kind`);
  }
  return items;
}

/**
 * Decides the policy in force: the environment variable wins over the caller's policy,
 * which wins over the default. Presets and objects are validated here.
 */
export function resolvePolicy(
  policy: Policy | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedPolicy {
  const fromEnv = env[POLICY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return normalise(parsePolicy(fromEnv, POLICY_ENV), 'env');
  }
  if (policy === undefined) return normalise({ order: POLICY_PRESETS['npu-first'] }, 'default');
  if (typeof policy === 'string') return normalise(parsePolicy(policy, 'policy'), 'option');
  if (typeof policy !== 'object' || policy === null) {
    throw new InvalidOptionError('policy', 'expected a preset name or { order, include, exclude }');
  }
  for (const key of Object.keys(policy)) {
    if (!POLICY_KEYS.includes(key)) {
      throw new InvalidOptionError(`policy.${key}`, `unknown key (use ${POLICY_KEYS.join(', ')})`);
    }
  }
  if (policy.selection !== undefined && !SELECTIONS.includes(policy.selection)) {
    throw new InvalidOptionError(
      'policy.selection',
      `expected ${SELECTIONS.join(', ')}, got ${String(policy.selection)}`,
    );
  }
  if (policy.tolerance !== undefined) checkTolerance(policy.tolerance, 'policy.tolerance');
  for (const key of ['order', 'include', 'exclude'] as const) {
    const value = policy[key];
    if (
      value !== undefined &&
      (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === ''))
    ) {
      throw new InvalidOptionError(
        `policy.${key}`,
        'expected an array of backend ids or device kinds',
      );
    }
  }
  return normalise(policy, 'option');
}

const POLICY_KEYS: readonly string[] = ['order', 'include', 'exclude', 'selection', 'tolerance'];

function normalise(policy: PolicyObject, source: PolicySource): ResolvedPolicy {
  const order = policy.order ?? POLICY_PRESETS['npu-first'];
  if (order.length === 0) throw new InvalidOptionError('policy.order', 'the order is empty');
  const include = policy.include && policy.include.length > 0 ? policy.include : undefined;
  const exclude = policy.exclude ?? [];
  const selection = policy.selection ?? 'preferred';
  const tolerance = policy.tolerance;
  const parts = [`order=${order.join(',')}`];
  if (include) parts.push(`include=${include.join(',')}`);
  if (exclude.length > 0) parts.push(`exclude=${exclude.join(',')}`);
  const preset = Object.entries(POLICY_PRESETS).find(([, kinds]) => kinds.join() === order.join());
  if (preset && !include && exclude.length === 0) parts[0] = preset[0];
  if (selection !== 'preferred') parts.push(`selection=${selection}`);
  if (tolerance !== undefined) parts.push(`tolerance=${tolerance}`);
  return { order, include, exclude, selection, tolerance, source, text: parts.join(';') };
}

/** True for `npu`, `gpu`, `cpu`. */
export function isDeviceKind(value: string): value is DeviceKind {
  return (DEVICE_KINDS as readonly string[]).includes(value);
}
