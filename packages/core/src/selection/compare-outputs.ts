import type { Precision } from '../spec/backend.js';
import type { Tensor } from '../spec/tensor.js';

/**
 * Relative L2 error allowed between a candidate's outputs and the reference's, by the
 * candidate's precision: wide enough for rounding, narrow enough for a device that computes
 * wrong (a wrong or missing operator gives errors of order 1, NaNs, or zeros). Whole-tensor,
 * not element-wise: engines reorder reductions, and elements near zero differ relatively by
 * much. Two correct fp32 CPU engines (onnxruntime-node and onnxruntime-web) differ by 1.2e-3
 * on Silero VAD fed random audio: recurrent state compounds rounding.
 */
export const OUTPUT_TOLERANCE: Readonly<Record<Precision, number>> = {
  fp32: 1e-2,
  fp16: 5e-2,
  int8: 0.25,
};

/**
 * Compares two runs' outputs on the same inputs. Returns `undefined` when they agree within
 * the candidate's precision, else what differs, in words.
 */
export function compareOutputs(
  candidate: Readonly<Record<string, Tensor>>,
  reference: Readonly<Record<string, Tensor>>,
  precision: Precision = 'fp32',
): string | undefined {
  for (const [name, ref] of Object.entries(reference)) {
    const got = candidate[name];
    if (got === undefined) return `output ${name} is missing`;
    if (got.dims.join() !== ref.dims.join())
      return `output ${name} has dims [${got.dims.join(', ')}], the reference [${ref.dims.join(', ')}]`;
    const error = relativeError(got, ref);
    if (error === undefined) continue;
    const allowed = OUTPUT_TOLERANCE[precision];
    if (!(error <= allowed))
      return `output ${name} differs from the reference by ${Number.isNaN(error) ? 'NaN' : error.toExponential(1)} (relative L2; ${precision} allows ${allowed})`;
  }
  return undefined;
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
