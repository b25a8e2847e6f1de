import { InvalidOptionError } from '../errors/errors.js';

/** Which discovered backend packages may be loaded. Names are npm package names. */
export interface PluginRules {
  /** Only these packages are loaded (others are reported, not imported). */
  readonly allow?: readonly string[];
  /** These packages are never loaded. Wins over `allow`. */
  readonly deny?: readonly string[];
}

/** Environment variables that add to the rules without code changes (comma-separated names). */
export const PLUGINS_ALLOW_ENV = 'NPU_FIRST_PLUGINS_ALLOW';
export const PLUGINS_DENY_ENV = 'NPU_FIRST_PLUGINS_DENY';

function names(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Builds the check applied to each discovered package before it is imported: returns why a
 * package is left out, or `undefined` to load it. The environment's lists join the options'.
 */
export function pluginFilter(
  rules: PluginRules = {},
  env: Readonly<Record<string, string | undefined>> = {},
): (name: string) => string | undefined {
  for (const key of ['allow', 'deny'] as const) {
    const list = rules[key];
    if (list !== undefined && (!Array.isArray(list) || list.some((n) => typeof n !== 'string'))) {
      throw new InvalidOptionError(`plugins.${key}`, 'expected an array of package names');
    }
  }
  const envAllow = names(env[PLUGINS_ALLOW_ENV]);
  const allow =
    rules.allow || envAllow.length > 0 ? [...(rules.allow ?? []), ...envAllow] : undefined;
  const deny = [...(rules.deny ?? []), ...names(env[PLUGINS_DENY_ENV])];
  return (name) => {
    if (deny.includes(name)) return 'not loaded: the plugin deny-list names it';
    if (allow && !allow.includes(name)) return 'not loaded: it is not on the plugin allow-list';
    return undefined;
  };
}
