import type { Precision, Tensor } from '@npu-first/core';

/** |actual − expected| ≤ atol + rtol·|expected|, element by element. */
export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

/** Tolerances by the precision a backend computes in (as TensorFlow.js's shared tests do). */
export const TOLERANCES: Readonly<Record<Precision, Tolerance>> = {
  fp32: { atol: 1e-5, rtol: 1e-4 },
  fp16: { atol: 1e-2, rtol: 1e-2 },
  int8: { atol: 5e-2, rtol: 5e-2 },
};

/**
 * Compares two tensors; returns `undefined` when they agree, else a sentence saying where
 * they first differ. Integer and string tensors must match exactly.
 */
export function compareTensors(
  actual: Tensor,
  expected: Tensor,
  tolerance: Tolerance,
): string | undefined {
  if (actual.type !== expected.type) return `dtype ${actual.type}, expected ${expected.type}`;
  if (actual.dims.join() !== expected.dims.join())
    return `dims [${actual.dims}], expected [${expected.dims}]`;
  if (actual.data.length !== expected.data.length)
    return `${actual.data.length} elements, expected ${expected.data.length}`;
  const exact = !actual.type.startsWith('float');
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i];
    const e = expected.data[i];
    if (exact) {
      if (a !== e) return `element ${i} is ${String(a)}, expected ${String(e)}`;
      continue;
    }
    const diff = Math.abs(Number(a) - Number(e));
    if (!(diff <= tolerance.atol + tolerance.rtol * Math.abs(Number(e)))) {
      return `element ${i} is ${String(a)}, expected ${String(e)} (|diff| ${diff.toExponential(2)} > atol ${tolerance.atol} + rtol ${tolerance.rtol}·|expected|)`;
    }
  }
  return undefined;
}
