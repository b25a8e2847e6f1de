import type { Attempt, Placement, PlacementDetails, SelectionReport } from '@npu-first/core';
import pc from 'picocolors';

const OUTCOME_COLOUR: Readonly<Record<Attempt['outcome'], (s: string) => string>> = {
  selected: pc.green,
  unavailable: pc.yellow,
  rejected: pc.yellow,
  failed: pc.red,
  'passed-over': pc.cyan,
  excluded: pc.dim,
};

/** A backend that was passed over only because it never takes this format. */
function formatMismatch(a: Attempt, format: string): boolean {
  return a.outcome === 'rejected' && a.reason.endsWith(`this is ${format}`);
}

/**
 * The placement trace as lines: where the model landed, then every step of the chain.
 * Backends that never take this model's format are summed up in one line at the end
 * (`--json` keeps each of them as an attempt).
 */
export function formatPlacement(placement: Placement): string[] {
  const format = placement.model.format;
  const mismatched = placement.attempts.filter((a) => formatMismatch(a, format));
  const shown = placement.attempts.filter((a) => !formatMismatch(a, format));
  const lines = [
    `${pc.bold('Placement')}  ${pc.green(placement.backend)} on ${placement.device} (${placement.deviceKind}) · policy ${placement.policy.text} (${placement.policy.source}) · ${placement.totalMs.toFixed(1)} ms`,
    ...formatSelection(placement.selection),
    ...formatDetails(placement.details),
  ];
  const width = Math.max(7, ...shown.map((a) => (a.backend ?? '—').length));
  shown.forEach((a, i) => {
    const backend = (a.backend ?? '—').padEnd(width);
    const kind = (a.deviceKind ?? '?').padEnd(3);
    const outcome = OUTCOME_COLOUR[a.outcome](a.outcome.padEnd(11));
    const ms = `${a.ms.toFixed(1)} ms`.padStart(9);
    lines.push(`  ${i + 1}. ${kind}  ${backend}  ${outcome} ${ms}  ${a.reason}`);
  });
  if (mismatched.length > 0) {
    lines.push(
      pc.dim(`     not for ${format} models: ${mismatched.map((a) => a.backend).join(', ')}`),
    );
  }
  return lines;
}

/**
 * What the serving backend reported at load, on one line: threads and why, the device as the
 * engine names it, op coverage, the backend's note. None when it reported nothing.
 */
export function formatDetails(details: PlacementDetails | undefined): string[] {
  if (!details) return [];
  const { threads, engineDevice, coverage, note } = details;
  const parts = [
    threads
      ? `${threads.count} intra-op thread${threads.count === 1 ? '' : 's'} (${threads.why})`
      : undefined,
    engineDevice,
    coverage?.note,
    note,
  ].filter((p): p is string => p !== undefined && p !== '');
  return parts.length > 0 ? [`${pc.bold('Details')}    ${parts.join(' · ')}`] : [];
}

/** How the chain chose: what it measured, on which inputs, and what it had to guess. */
export function formatSelection(selection: SelectionReport): string[] {
  const { method, objective } = selection;
  const rule =
    objective === 'latency'
      ? 'the fastest serves'
      : `the preferred backend stays unless over ${selection.tolerance ?? '?'}× slower`;
  const lines: string[] = [];
  if (method === 'first')
    lines.push('the first backend that loads serves, unmeasured (selection=first)');
  if (method === 'single') lines.push('one backend could serve: nothing to measure');
  if (method === 'trial')
    lines.push(`measured on ${selection.inputs} in ${selection.ms?.toFixed(0)} ms; ${rule}`);
  if (method === 'cache')
    lines.push(`verdicts from the placement cache (${selection.inputs}); ${rule}`);
  if (method === 'kept') lines.push(`not measured: the preferred backend serves`);
  if (selection.guessed)
    lines.push(
      `guessed sizes for symbolic dimensions: ${Object.entries(selection.guessed)
        .map(([d, n]) => `${d}=${n}`)
        .join(', ')} (set them with --dim)`,
    );
  for (const note of selection.notes ?? []) lines.push(note);
  return lines.map((line, i) => `${i === 0 ? pc.bold('Selection') : '         '}  ${pc.dim(line)}`);
}
