import pc from 'picocolors';
import type { InputReport } from './inputs.js';

/**
 * `run`'s inputs as lines: source, type and the shape fed; for a random input its symbolic
 * dimensions by the model's names with the size each got, and how to set the guessed ones.
 */
export function formatInputs(reports: Readonly<Record<string, InputReport>>): string[] {
  const lines: string[] = [];
  const guessed: string[] = [];
  for (const [name, r] of Object.entries(reports)) {
    const symbolic = Object.entries(r.symbolic ?? {}).map(([dim, size]) => {
      const guess = r.guessed?.includes(dim) ?? false;
      if (guess) guessed.push(dim);
      return `${dim}=${size}${guess ? ' (guessed)' : ''}`;
    });
    const extra = symbolic.length > 0 ? pc.dim(`  symbolic: ${symbolic.join(', ')}`) : '';
    lines.push(`  ${name} ← ${r.source}  ${r.type} [${r.dims.join(', ')}]${extra}`);
  }
  // An unnamed dimension (`x[2]`) has no name --dim could set: only named ones make the hint.
  const example = guessed.find((dim) => !/\[\d+\]$/.test(dim));
  if (example)
    lines.push(pc.dim(`  set a symbolic size with --dim name=N, e.g. --dim ${example}=512`));
  return lines;
}
