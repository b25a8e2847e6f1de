/** The environment variable that points NPU detection at another sysfs tree (tests, containers). */
export const SYSFS_ROOT_ENV = 'NPU_FIRST_SYSFS_ROOT';

/**
 * The sysfs root NPU detection reads: the `sysfsRoot` option, else `$NPU_FIRST_SYSFS_ROOT`,
 * else `/sys`.
 */
export function resolveSysfsRoot(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return option ?? (env[SYSFS_ROOT_ENV] || '/sys');
}
