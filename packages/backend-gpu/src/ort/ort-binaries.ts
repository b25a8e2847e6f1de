import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ortBinaryDir } from '@npu-first/onnxruntime';

/** The libraries from `libs` that are not in onnxruntime-node's binary folder. */
export function missingLibraries(libs: readonly string[], dir = ortBinaryDir()): string[] {
  if (dir === undefined) return [...libs];
  return libs.filter((lib) => !existsSync(join(dir, lib)));
}

/**
 * How to add the CUDA/TensorRT provider libraries: onnxruntime-node's own install step,
 * which downloads them from NuGet (package managers that block install scripts skip it).
 */
export function cudaInstallHint(dir = ortBinaryDir()): string {
  const script = dir
    ? join(dir, '..', '..', '..', '..', 'script', 'install.js')
    : 'node_modules/onnxruntime-node/script/install.js';
  return `run \`node ${script} --onnxruntime-node-install=cuda12\` (downloads them from NuGet; needs CUDA 12 and cuDNN 9 on the system)`;
}
