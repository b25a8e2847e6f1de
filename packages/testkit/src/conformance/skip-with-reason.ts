import { it } from 'vitest';

/**
 * Registers `name` as a skipped test whose name carries why, and prints it: a case that
 * cannot apply to this backend shows in the report as skipped, never as a silent pass.
 */
export function skipWithReason(backendId: string, name: string, reason: string): void {
  console.warn(`[npu-first conformance] ${backendId}: skipped "${name}": ${reason}`);
  it.skip(`${name} — skipped: ${reason}`, () => {});
}
