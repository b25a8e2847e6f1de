import { InvalidOptionError } from '@npu-first/core';

/**
 * `backendOptions['cpu-llamacpp']` takes no option yet: threads and context size are the
 * common load options. Any key is refused, pointing there.
 */
export function checkCpuLlamaOptions(
  backendId: string,
  options: Readonly<Record<string, unknown>> | undefined,
): void {
  const key = Object.keys(options ?? {})[0];
  if (key === undefined) return;
  throw new InvalidOptionError(
    `backendOptions.${backendId}.${key}`,
    'unknown option: this backend takes none (use the common threads and contextSize load options)',
  );
}
