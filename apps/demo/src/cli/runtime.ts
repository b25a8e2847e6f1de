import { createRuntime, packageRootOf, type Runtime } from '@npu-first/core';

/** The CLI package's own folder. */
export const PACKAGE_ROOT = packageRootOf(import.meta.url);

/**
 * The runtime the CLI uses: backends installed beside the CLI itself, plus those of the
 * project in the current directory. Probing is lazy: a command that loads one model only
 * probes the backends the chain reaches for it.
 */
export function cliRuntime(): Promise<Runtime> {
  return createRuntime({ roots: [PACKAGE_ROOT, process.cwd()], probe: 'lazy' });
}
