import { InvalidOptionError } from '../errors/errors.js';
import type { PolicySource } from '../placement/placement.js';
import { DEVICE_KINDS, type DeviceKind } from '../spec/backend.js';

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
}

/** A preset, an object, or the text form {@link parsePolicy} reads (`"gpu,cpu"`). */
export type Policy = PolicyPreset | PolicyObject | (string & {});

/** The environment variable that overrides any policy given in code. */
export const POLICY_ENV = 'NPU_FIRST_POLICY';

/** A policy in one normal form, with a text that round-trips through {@link parsePolicy}. */
export interface ResolvedPolicy {
  readonly order: readonly string[];
  readonly include: readonly string[] | undefined;
  readonly exclude: readonly string[];
  readonly source: PolicySource;
  readonly text: string;
}

/**
 * Parses the text form used by `NPU_FIRST_POLICY` and the CLI's `--policy`:
 * - a preset: `npu-first`, `gpu-first`, `cpu-only`;
 * - an order: `gpu,cpu` or `cpu-onnxruntime,npu`;
 * - clauses separated by `;`: `order=gpu,cpu;exclude=gpu-webgpu;include=…`.
 */
export function parsePolicy(text: string, option = POLICY_ENV): PolicyObject {
  const trimmed = text.trim();
  if (trimmed === '') throw new InvalidOptionError(option, 'the policy is empty');
  if (trimmed in POLICY_PRESETS) return { order: POLICY_PRESETS[trimmed as PolicyPreset] };
  if (!trimmed.includes('=')) return { order: list(trimmed, option, 'order') };
  const policy: { order?: string[]; include?: string[]; exclude?: string[] } = {};
  for (const clause of trimmed.split(';')) {
    if (clause.trim() === '') continue;
    const eq = clause.indexOf('=');
    const key = clause.slice(0, eq).trim();
    const value = clause.slice(eq + 1);
    if (eq < 0 || (key !== 'order' && key !== 'include' && key !== 'exclude')) {
      throw new InvalidOptionError(
        option,
        `"${clause.trim()}" is not order=…, include=… or exclude=…`,
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
    if (key !== 'order' && key !== 'include' && key !== 'exclude') {
      throw new InvalidOptionError(`policy.${key}`, 'unknown key (use order, include, exclude)');
    }
  }
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

function normalise(policy: PolicyObject, source: PolicySource): ResolvedPolicy {
  const order = policy.order ?? POLICY_PRESETS['npu-first'];
  if (order.length === 0) throw new InvalidOptionError('policy.order', 'the order is empty');
  const include = policy.include && policy.include.length > 0 ? policy.include : undefined;
  const exclude = policy.exclude ?? [];
  const parts = [`order=${order.join(',')}`];
  if (include) parts.push(`include=${include.join(',')}`);
  if (exclude.length > 0) parts.push(`exclude=${exclude.join(',')}`);
  const preset = Object.entries(POLICY_PRESETS).find(([, kinds]) => kinds.join() === order.join());
  const text = preset && !include && exclude.length === 0 ? preset[0] : parts.join(';');
  return { order, include, exclude, source, text };
}

/** True for `npu`, `gpu`, `cpu`. */
export function isDeviceKind(value: string): value is DeviceKind {
  return (DEVICE_KINDS as readonly string[]).includes(value);
}
