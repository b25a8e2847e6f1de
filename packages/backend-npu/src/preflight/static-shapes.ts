import { type Dim, formatShape } from '@npu-first/core';
import type { DeclaredInput } from './onnx-input-shapes.js';

/** The outcome of the static-shape pre-flight. */
export type StaticShapeCheck =
  | {
      readonly ok: true;
      /** The pins that apply to this model's inputs (empty when every input is static). */
      readonly pins: Readonly<Record<string, number>>;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * NPUs compile a graph for fixed shapes: checks that every input dimension is fixed or pinned
 * by `shapes`. When it is not, the reason names each open dimension, the inputs that carry
 * it and the exact option that would pin it.
 */
export function checkStaticShapes(
  backendId: string,
  inputs: readonly DeclaredInput[],
  shapes: Readonly<Record<string, number>>,
): StaticShapeCheck {
  const open = new Map<string, string[]>();
  const unnamed: string[] = [];
  const unranked: string[] = [];
  const pins: Record<string, number> = {};
  for (const input of inputs) {
    if (input.shape === null) {
      unranked.push(`"${input.name}"`);
      continue;
    }
    input.shape.forEach((dim: Dim, axis) => {
      if (typeof dim === 'number') return;
      if (dim === null || dim === '') {
        unnamed.push(`"${input.name}" axis ${axis}`);
        return;
      }
      const pinned = shapes[dim];
      if (pinned !== undefined) {
        pins[dim] = pinned;
        return;
      }
      const where = `"${input.name}" ${formatShape(input.shape)}`;
      const list = open.get(dim) ?? [];
      if (!list.includes(where)) list.push(where);
      open.set(dim, list);
    });
  }
  const problems: string[] = [];
  if (open.size > 0) {
    const dims = [...open.entries()].map(([dim, where]) => `${dim} (in ${where.join(', ')})`);
    const example = Object.fromEntries([...open.keys()].map((d) => [d, guessSize(d)]));
    problems.push(
      `symbolic dimension${open.size > 1 ? 's' : ''} ${dims.join('; ')} — pin ${open.size > 1 ? 'them' : 'it'} with backendOptions: { '${backendId}': { shapes: ${formatPins(example)} } } (the sizes you will feed)`,
    );
  }
  if (unnamed.length > 0) {
    problems.push(
      `unnamed dynamic dimension${unnamed.length > 1 ? 's' : ''} at ${unnamed.join(', ')}, which no option can pin: re-export the model with static shapes or named dimensions`,
    );
  }
  if (unranked.length > 0) {
    problems.push(
      `no declared shape for ${unranked.join(', ')}: re-export the model with input shapes`,
    );
  }
  if (problems.length > 0) {
    return { ok: false, reason: `NPUs need static input shapes: ${problems.join('; ')}` };
  }
  return { ok: true, pins };
}

/** `{ batch: 1, sequence: 512 }` as it would be typed. */
export function formatPins(pins: Readonly<Record<string, number | string>>): string {
  const entries = Object.entries(pins).map(
    ([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${v}`,
  );
  return `{ ${entries.join(', ')} }`;
}

/** A placeholder size for the example in a message: 1 for batch-like dims, else N. */
function guessSize(dim: string): number | string {
  return /batch|^n$|^b$/i.test(dim) ? 1 : 'N';
}
