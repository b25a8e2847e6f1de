import { delimiter, join } from 'node:path';

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where GPU detection looks. Defaults are the real system paths; tests point them at
 * fixture trees. `NPU_FIRST_SYSFS_ROOT`, `NPU_FIRST_PROC_ROOT`, `NPU_FIRST_DEV_ROOT` and
 * `NPU_FIRST_VULKAN_ICD_DIRS` (folders separated by `:`, `;` on Windows) override them without
 * code changes (the sysfs variable is the one the NPU backend reads too).
 */
export interface MachineRoots {
  readonly sysfs: string;
  readonly proc: string;
  readonly dev: string;
  /** Vulkan driver (ICD) manifest folders, in the Vulkan loader's search order. */
  readonly vulkanIcd: readonly string[];
}

export function machineRoots(
  overrides: Partial<MachineRoots> = {},
  env: Env = process.env,
): MachineRoots {
  const icdDirs = env.NPU_FIRST_VULKAN_ICD_DIRS?.split(delimiter).filter((d) => d !== '');
  return {
    sysfs: overrides.sysfs ?? env.NPU_FIRST_SYSFS_ROOT ?? '/sys',
    proc: overrides.proc ?? env.NPU_FIRST_PROC_ROOT ?? '/proc',
    dev: overrides.dev ?? env.NPU_FIRST_DEV_ROOT ?? '/dev',
    vulkanIcd: overrides.vulkanIcd ?? icdDirs ?? vulkanIcdDirs(env),
  };
}

/**
 * The folders the Vulkan loader scans for driver manifests on Linux ("Driver Discovery on
 * Linux" in the loader's LoaderDriverInterface.md): `vulkan/icd.d` under the XDG config
 * folders, /usr/local/etc and /etc, then under the XDG data folders (which default to
 * /usr/local/share and /usr/share, where distributions install Mesa's and NVIDIA's manifests).
 */
export function vulkanIcdDirs(env: Env = process.env): string[] {
  const home = env.HOME;
  const configHome = env.XDG_CONFIG_HOME || (home ? join(home, '.config') : undefined);
  const dataHome = env.XDG_DATA_HOME || (home ? join(home, '.local', 'share') : undefined);
  const bases = [
    configHome,
    ...(env.XDG_CONFIG_DIRS || '/etc/xdg').split(':'),
    '/usr/local/etc',
    '/etc',
    dataHome,
    ...(env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':'),
  ];
  const dirs = bases.filter((b): b is string => !!b).map((b) => join(b, 'vulkan', 'icd.d'));
  return [...new Set(dirs)];
}
