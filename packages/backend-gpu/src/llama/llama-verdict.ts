import type { ProbeResult } from '@npu-first/core';
import type { CheapLook } from '../detect/cheap-looks.js';
import type { Env, MachineRoots } from '../detect/machine-roots.js';
import { detectNvidia } from '../detect/nvidia.js';
import { describePlatform } from '../detect/platform.js';
import { vulkanLook } from '../detect/vulkan-look.js';
import type { EngineReply } from '../engine-probe/ask-engine.js';
import { confirmsLook } from '../engine-probe/probe-mode.js';
import type { LlamaAnswer } from '../engine-probe/questions.js';
import { diagnoseVulkan, type VulkanDiagnosis } from '../vulkan/diagnose-vulkan.js';
import { judgeLlamaGpu } from './judge-llama-gpu.js';
import { llamaDevices } from './llama-devices.js';
import type { LlamaGpuPath } from './llama-gpu-backend.js';

interface Where {
  readonly roots: MachineRoots;
  readonly env: Env;
  readonly platform: string;
}

/** The probe's result from the engine's reply: the engine decides, the look explains. */
export async function llamaVerdict(
  path: LlamaGpuPath,
  reply: EngineReply,
  look: CheapLook,
  where: Where,
): Promise<ProbeResult> {
  const { answer } = reply;
  const devices = look.devices;
  if (answer?.engine !== 'node-llama-cpp') {
    return { available: false, devices, reason: `${path.displayName} probe: ${reply.failure}` };
  }
  if (answer.status === 'missing') {
    return { available: false, devices, reason: answer.message ?? 'node-llama-cpp is missing' };
  }
  const engine = `node-llama-cpp ${answer.version ?? 'unknown'} (${path.gpu})`;
  const confirms = confirmsLook(look);
  if (answer.status === 'failed') {
    const reason = await explainLoadFailure(path, answer, reply.output, where);
    return { available: false, devices, engine, reason: `${reason}${confirms}` };
  }
  const report = {
    gpu: answer.gpu ?? false,
    deviceNames: answer.deviceNames ?? [],
    vramTotalBytes: answer.vramTotalBytes ?? 0,
  };
  const verdict = judgeLlamaGpu(path.gpu, report);
  if (verdict) {
    const said = (answer.logs ?? []).filter((l) => /^ggml_/.test(l)).slice(-2);
    const quoted = said.length > 0 ? ` (llama.cpp: ${said.map((l) => `"${l}"`).join(', ')})` : '';
    const why = await vulkanWhy(path, reply.output, answer, where);
    const diagnosis = why ? `; ${why.problem}; fix: ${why.fix}` : '';
    return {
      available: false,
      devices,
      engine,
      reason: `${verdict}${quoted}${diagnosis}${confirms}`,
    };
  }
  // The NVIDIA driver's version completes the engine's device names (`Vulkan, NVIDIA 580.…`).
  const nvidia = where.platform.startsWith('linux') ? await detectNvidia(where.roots) : undefined;
  return {
    available: true,
    engine,
    devices: llamaDevices(path.displayName, { ...report, logs: answer.logs ?? [] }, nvidia),
  };
}

/** For the Vulkan build on Linux: why Vulkan found no GPU, and the fix. */
async function vulkanWhy(
  path: LlamaGpuPath,
  output: readonly string[],
  answer: LlamaAnswer,
  where: Where,
): Promise<VulkanDiagnosis | undefined> {
  if (path.gpu !== 'vulkan' || !where.platform.startsWith('linux')) return undefined;
  return diagnoseVulkan({
    output: [...(answer.logs ?? []), ...output],
    ...(answer.runtimeLibrary ? { runtimeLibrary: answer.runtimeLibrary } : {}),
    look: await vulkanLook(where.roots, where.env),
    env: where.env,
  });
}

/**
 * node-llama-cpp says only `NoBinaryFoundError` when no prebuilt build of the kind loads; the
 * probe process then tried the library the build needs first (the Vulkan loader, libcuda),
 * and the dynamic loader's words say why.
 */
async function explainLoadFailure(
  path: LlamaGpuPath,
  answer: LlamaAnswer,
  output: readonly string[],
  where: Where,
): Promise<string> {
  const message = answer.message ?? '';
  if (!/NoBinaryFound/i.test(message))
    return `${path.displayName} build failed to load: ${message}`;
  const base = `node-llama-cpp has no prebuilt ${path.displayName} build that loads here`;
  const why = await vulkanWhy(path, output, answer, where);
  if (why) return `${base}: ${why.problem}; fix: ${why.fix}`;
  const library = answer.runtimeLibrary;
  if (path.gpu === 'cuda' && library?.error) {
    return `${base}: the NVIDIA driver's CUDA library ${library.name} cannot be loaded (${library.error}); fix: install the NVIDIA driver's compute libraries, or in a container run with --gpus all and NVIDIA_DRIVER_CAPABILITIES including compute`;
  }
  const needs =
    path.gpu === 'vulkan'
      ? 'the Vulkan loader (libvulkan.so.1 / vulkan-1.dll) and a GPU driver'
      : path.gpu === 'cuda'
        ? 'the NVIDIA driver and CUDA runtime'
        : 'Metal';
  const platform = describePlatform(where.platform);
  return `${base} (needs ${needs}, and node-llama-cpp's ${path.gpu} binaries for ${platform} installed)`;
}
