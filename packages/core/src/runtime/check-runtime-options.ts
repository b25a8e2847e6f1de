import { InvalidOptionError } from '../errors/errors.js';
import { checkMilliseconds, describeValue, isPlainObject } from './load-options.js';

/** The values of `createRuntime()` options, whose keys the caller has checked. */
interface RuntimeOptionValues {
  readonly backends?: unknown;
  readonly discover?: unknown;
  readonly roots?: unknown;
  readonly plugins?: unknown;
  readonly pluginTimeoutMs?: unknown;
  readonly probe?: unknown;
  readonly probeTimeoutMs?: unknown;
  readonly loadTimeoutMs?: unknown;
  readonly env?: unknown;
}

const PLUGIN_RULE_KEYS = ['allow', 'deny'];

/**
 * Checks the type and range of each `createRuntime()` option (the policy is checked where it is
 * resolved), so a value of the wrong type fails here, naming the option, instead of doing
 * something else quietly: a string of roots read letter by letter, a time-out of `'abc'` that
 * never fires, one of `-1` that fails every load.
 */
export function checkRuntimeOptions(options: RuntimeOptionValues): void {
  const { backends, discover, roots, plugins, probe, env } = options;
  if (backends !== undefined && !Array.isArray(backends))
    throw new InvalidOptionError(
      'backends',
      `expected an array of backends or plugins, got ${describeValue(backends)}`,
    );
  if (discover !== undefined && typeof discover !== 'boolean')
    throw new InvalidOptionError(
      'discover',
      `expected true or false, got ${describeValue(discover)}`,
    );
  if (roots !== undefined) checkStrings('roots', roots, 'directories');
  if (plugins !== undefined) checkPluginRules(plugins);
  for (const key of ['pluginTimeoutMs', 'probeTimeoutMs', 'loadTimeoutMs'] as const) {
    if (options[key] !== undefined) checkMilliseconds(key, options[key]);
  }
  if (probe !== undefined && probe !== 'eager' && probe !== 'lazy')
    throw new InvalidOptionError(
      'probe',
      `expected "eager" or "lazy", got ${describeValue(probe)}`,
    );
  if (env !== undefined) {
    if (!isPlainObject(env))
      throw new InvalidOptionError(
        'env',
        `expected an object of environment variables, got ${describeValue(env)}`,
      );
    for (const [name, value] of Object.entries(env as object)) {
      if (value !== undefined && typeof value !== 'string')
        throw new InvalidOptionError(
          `env.${name}`,
          `expected a string, got ${describeValue(value)}`,
        );
    }
  }
}

/** `{ allow?: string[], deny?: string[] }`: a string such as `'deny-all'` is not a rule. */
function checkPluginRules(plugins: unknown): void {
  if (!isPlainObject(plugins))
    throw new InvalidOptionError(
      'plugins',
      `expected { allow?: [package names], deny?: [package names] }, got ${describeValue(plugins)}`,
    );
  for (const [key, value] of Object.entries(plugins as object)) {
    if (!PLUGIN_RULE_KEYS.includes(key))
      throw new InvalidOptionError(`plugins.${key}`, 'unknown key (use allow, deny)');
    if (value !== undefined) checkStrings(`plugins.${key}`, value, 'package names');
  }
}

function checkStrings(option: string, value: unknown, what: string): void {
  if (!Array.isArray(value))
    throw new InvalidOptionError(
      option,
      `expected an array of ${what}, got ${describeValue(value)}`,
    );
  for (const item of value) {
    if (typeof item !== 'string' || item.trim() === '')
      throw new InvalidOptionError(
        option,
        `expected an array of ${what}, but it holds ${describeValue(item)}`,
      );
  }
}
