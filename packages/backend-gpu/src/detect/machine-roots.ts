/**
 * Where GPU detection looks. Defaults are the real system paths; tests point them at
 * fixture trees. `NPU_FIRST_SYSFS_ROOT`, `NPU_FIRST_PROC_ROOT` and `NPU_FIRST_DEV_ROOT`
 * override them without code changes (the same sysfs variable the NPU backend reads).
 */
export interface MachineRoots {
  readonly sysfs: string;
  readonly proc: string;
  readonly dev: string;
  /** Vulkan ICD manifest folders (Mesa installs its drivers' manifests here). */
  readonly vulkanIcd: readonly string[];
}

export function machineRoots(
  overrides: Partial<MachineRoots> = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): MachineRoots {
  return {
    sysfs: overrides.sysfs ?? env.NPU_FIRST_SYSFS_ROOT ?? '/sys',
    proc: overrides.proc ?? env.NPU_FIRST_PROC_ROOT ?? '/proc',
    dev: overrides.dev ?? env.NPU_FIRST_DEV_ROOT ?? '/dev',
    vulkanIcd: overrides.vulkanIcd ?? ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'],
  };
}
