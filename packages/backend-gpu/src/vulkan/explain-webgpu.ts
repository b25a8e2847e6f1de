import { vulkanLook } from '../detect/vulkan-look.js';
import type { OrtFailure } from '../ort/ort-gpu-backend.js';
import { diagnoseVulkan } from './diagnose-vulkan.js';

/**
 * Turns a failed WebGPU start into a reason: what ONNX Runtime and Dawn said (Dawn names the
 * Vulkan device it passed over, or the loader it could not load), then why and the fix.
 */
export async function explainWebGpu({ message, output, roots, env }: OrtFailure): Promise<string> {
  const adapter = /Failed to get a WebGPU adapter.*$/.exec(message)?.[0];
  if (!adapter) return `WebGPU failed to start: ${message}`;
  const said = [
    `ONNX Runtime: ${adapter}`,
    ...output.filter((l) => !l.includes(adapter)).slice(-3),
  ];
  const diagnosis =
    process.platform === 'linux'
      ? await diagnoseVulkan({ output, look: await vulkanLook(roots, env), env })
      : undefined;
  const why = diagnosis
    ? `${diagnosis.problem}; fix: ${diagnosis.fix}`
    : 'no Vulkan (Linux), Metal (macOS) or D3D12 (Windows) driver exposes a GPU';
  return `WebGPU could not get a GPU adapter (${said.join('; ')}): ${why}`;
}
