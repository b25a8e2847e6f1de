import type { Tensor } from '../spec/tensor.js';

/**
 * Relative L2 error over which a candidate's outputs count as wrong. The check catches a device
 * that computes garbage — a wrong or missing operator, zeros, NaNs — not rounding: correct
 * engines differ far more than rounding suggests on the random inputs a trial often runs (two
 * correct fp32 CPU engines, onnxruntime-node and onnxruntime-web, differ by 1.2e-3 on Silero VAD
 * fed random audio, and by 8.4e-2 on PaddleOCR detection fed random pixels), while garbage
 * differs by an error of order 1. Whole-tensor, not element-wise: engines reorder reductions.
 */
export const WRONG_RESULT = 0.5;

/** How a candidate's outputs compare with the reference's on the same inputs. */
export interface OutputComparison {
  /** The largest relative L2 error over the outputs (NaN where NaNs do not line up). */
  readonly error: number;
  /** Set when the outputs are wrong: what differs, in words. */
  readonly problem?: string;
}

/** Compares a candidate's outputs with the reference's (see {@link WRONG_RESULT}). */
export function compareOutputs(
  candidate: Readonly<Record<string, Tensor>>,
  reference: Readonly<Record<string, Tensor>>,
): OutputComparison {
  let worst = 0;
  for (const [name, ref] of Object.entries(reference)) {
    const got = candidate[name];
    if (got === undefined) return { error: Number.NaN, problem: `output ${name} is missing` };
    if (got.dims.join() !== ref.dims.join())
      return {
        error: Number.NaN,
        problem: `output ${name} has dims [${got.dims.join(', ')}], the reference [${ref.dims.join(', ')}]`,
      };
    const error = relativeError(got, ref);
    if (error === undefined) continue;
    if (!(error <= WRONG_RESULT))
      return {
        error,
        problem: `output ${name} differs from the reference by ${Number.isNaN(error) ? 'NaN' : error.toPrecision(2)} (relative L2; over ${WRONG_RESULT} is a wrong result, not rounding)`,
      };
    worst = Math.max(worst, error);
  }
  return { error: worst };
}

/** ‖a − b‖ / ‖b‖ over numeric tensors (NaN where one has NaN the other lacks); undefined for strings. */
function relativeError(a: Tensor, b: Tensor): number | undefined {
  if (a.type === 'string' || b.type === 'string') return undefined;
  const x = elementReader(a);
  const y = elementReader(b);
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < b.data.length; i++) {
    const p = x(i);
    const q = y(i);
    if (Number.isNaN(p) !== Number.isNaN(q)) return Number.NaN;
    if (Number.isNaN(q)) continue;
    diff += (p - q) * (p - q);
    norm += q * q;
  }
  if (norm === 0) return diff === 0 ? 0 : Math.sqrt(diff);
  return Math.sqrt(diff / norm);
}

/** Element `i` of a numeric tensor as a number (float16 travels as raw bits). */
function elementReader(t: Tensor): (i: number) => number {
  const data = t.data as ArrayLike<number | bigint>;
  return t.type === 'float16' ? (i) => halfToFloat(data[i] as number) : (i) => Number(data[i]);
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
