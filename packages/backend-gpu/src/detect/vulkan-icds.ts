import { readdir } from 'node:fs/promises';
import type { MachineRoots } from './machine-roots.js';

/** Mesa's software Vulkan drivers: they run on the CPU. */
const SOFTWARE_ICDS: readonly [RegExp, string][] = [
  [/^lvp_icd/, 'llvmpipe (Mesa lavapipe)'],
  [/swiftshader/i, 'SwiftShader'],
];

/** The Vulkan drivers installed (their ICD manifests), split into software and hardware ones. */
export async function listVulkanIcds(
  roots: MachineRoots,
): Promise<{ software: string[]; hardware: string[] }> {
  const software: string[] = [];
  const hardware: string[] = [];
  for (const dir of roots.vulkanIcd) {
    for (const file of await readdir(dir).catch(() => [] as string[])) {
      if (!file.endsWith('.json')) continue;
      const soft = SOFTWARE_ICDS.find(([re]) => re.test(file));
      if (soft) software.push(soft[1]);
      else hardware.push(file.replace(/_icd.*$/, ''));
    }
  }
  return { software, hardware };
}
