import type { Tensor } from '@npu-first/core';

/** What `run` reports of one output tensor. */
export interface OutputSummary {
  readonly type: string;
  readonly dims: readonly number[];
  readonly min?: number;
  readonly max?: number;
  readonly mean?: number;
  /** The first few values (numbers, or strings for string/64-bit tensors). */
  readonly preview: readonly (number | string)[];
}

const PREVIEW = 8;

export function summarize(tensor: Tensor): OutputSummary {
  const { data } = tensor;
  const preview = Array.from({ length: Math.min(PREVIEW, data.length) }, (_, i) => {
    const v = data[i];
    return typeof v === 'bigint' ? v.toString() : (v as number | string);
  });
  if (tensor.type === 'string' || data.length === 0)
    return { type: tensor.type, dims: tensor.dims, preview };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { type: tensor.type, dims: tensor.dims, min, max, mean: sum / data.length, preview };
}

/** One line for the terminal: `y  float32 [2, 3]  min … max … mean …  [v0, v1, …]`. */
export function formatSummary(name: string, s: OutputSummary): string {
  const stats =
    s.min === undefined
      ? ''
      : `  min ${fmt(s.min)}  max ${fmt(s.max as number)}  mean ${fmt(s.mean as number)}`;
  const more = s.dims.reduce((a, b) => a * b, 1) > s.preview.length ? ', …' : '';
  const values = s.preview
    .map((v) => (typeof v === 'number' ? fmt(v) : JSON.stringify(v)))
    .join(', ');
  return `  ${name}  ${s.type} [${s.dims.join(', ')}]${stats}  [${values}${more}]`;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}
