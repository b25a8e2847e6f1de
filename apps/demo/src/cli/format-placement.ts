import type { Attempt, Placement } from '@npu-first/core';
import pc from 'picocolors';

const OUTCOME_COLOUR: Readonly<Record<Attempt['outcome'], (s: string) => string>> = {
  selected: pc.green,
  unavailable: pc.yellow,
  rejected: pc.yellow,
  failed: pc.red,
  excluded: pc.dim,
};

/** The placement trace as lines: where the model landed, then every step of the chain. */
export function formatPlacement(placement: Placement): string[] {
  const lines = [
    `${pc.bold('Placement')}  ${pc.green(placement.backend)} on ${placement.device} (${placement.deviceKind}) · policy ${placement.policy.text} (${placement.policy.source}) · ${placement.totalMs.toFixed(1)} ms`,
  ];
  const width = Math.max(7, ...placement.attempts.map((a) => (a.backend ?? '—').length));
  placement.attempts.forEach((a, i) => {
    const backend = (a.backend ?? '—').padEnd(width);
    const kind = (a.deviceKind ?? '?').padEnd(3);
    const outcome = OUTCOME_COLOUR[a.outcome](a.outcome.padEnd(11));
    const ms = `${a.ms.toFixed(1)} ms`.padStart(9);
    lines.push(`  ${i + 1}. ${kind}  ${backend}  ${outcome} ${ms}  ${a.reason}`);
  });
  return lines;
}
