import { cpus } from 'node:os';

/** macOS on Apple Silicon: the GPU that Metal and CoreML drive. */
export function appleSiliconGpu(
  platform: string = process.platform,
  arch: string = process.arch,
): { name: string } | undefined {
  if (platform !== 'darwin' || arch !== 'arm64') return undefined;
  const chip = cpus()[0]?.model.trim() || 'Apple Silicon';
  return { name: `${chip} GPU` };
}
