import type { Env } from '../detect/machine-roots.js';

/**
 * `NPU_FIRST_PROBE=engine`: ask the engine even where the cheap look at the machine says it has
 * nothing to find, to confirm (or refute) a cheap refusal.
 */
export function alwaysAskEngine(env: Env): boolean {
  return env.NPU_FIRST_PROBE === 'engine';
}

/**
 * Appended to an engine's refusal when the cheap look had predicted it (`NPU_FIRST_PROBE=engine`):
 * the look's verdict, without its list of checks (`no GPU that Vulkan could reach`).
 */
export function confirmsLook(look: { readonly absent?: string }): string {
  return look.absent
    ? `; the engine confirms the look at the machine (${look.absent.split(':')[0]})`
    : '';
}
