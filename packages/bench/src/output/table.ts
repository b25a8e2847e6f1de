import type { BenchReport } from '../types.js';
import { HEADERS, rows } from './format.js';

/** The results as a plain-text table for the terminal. */
export function renderTable(report: BenchReport): string {
  const body = rows(report.results);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(HEADERS), line(widths.map((w) => '─'.repeat(w)))];
  let last = '';
  for (const row of body) {
    if (row[0] !== last && last !== '') out.push('');
    last = row[0] ?? '';
    out.push(line(row));
  }
  return out.join('\n');
}
