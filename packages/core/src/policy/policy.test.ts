import { describe, expect, it } from 'vitest';
import { NpuFirstError } from '../errors/base.js';
import { type Policy, parsePolicy, resolvePolicy } from './policy.js';

describe('parsePolicy', () => {
  it('reads presets, plain orders and clauses', () => {
    expect(parsePolicy('cpu-only')).toEqual({ order: ['cpu'] });
    expect(parsePolicy(' gpu, cpu ')).toEqual({ order: ['gpu', 'cpu'] });
    expect(parsePolicy('order=gpu-first;exclude=gpu-webgpu')).toEqual({
      order: ['gpu', 'npu', 'cpu'],
      exclude: ['gpu-webgpu'],
    });
    expect(parsePolicy('include=cpu-onnxruntime,npu')).toEqual({
      include: ['cpu-onnxruntime', 'npu'],
    });
  });

  it('reads how to commit: selection and tolerance, alone or after an order', () => {
    expect(parsePolicy('npu-first;selection=first')).toEqual({
      order: ['npu', 'gpu', 'cpu'],
      selection: 'first',
    });
    expect(parsePolicy('gpu,cpu;selection=latency')).toEqual({
      order: ['gpu', 'cpu'],
      selection: 'latency',
    });
    expect(parsePolicy('selection=preferred;tolerance=1.5')).toEqual({
      selection: 'preferred',
      tolerance: 1.5,
    });
  });

  it('rejects empty text, unknown clauses and odd characters with INVALID_OPTION naming the source', () => {
    for (const text of [
      '',
      'order=',
      'speed=fast',
      'gpu;cpu',
      'g p u',
      'selection=fastest',
      'tolerance=0.5',
      'tolerance=abc',
      'cpu;selection=first;gpu',
    ]) {
      let error: unknown;
      try {
        parsePolicy(text, '--policy');
      } catch (e) {
        error = e;
      }
      expect(NpuFirstError.isInstance(error) && error.toJSON()).toMatchObject({
        code: 'INVALID_OPTION',
        option: '--policy',
      });
    }
  });
});

describe('resolvePolicy', () => {
  it('defaults to npu-first', () => {
    expect(resolvePolicy(undefined, {})).toMatchObject({
      order: ['npu', 'gpu', 'cpu'],
      source: 'default',
      text: 'npu-first',
    });
  });

  it('lets the environment win over the option and keeps a round-trippable text', () => {
    const resolved = resolvePolicy('cpu-only', {
      NPU_FIRST_POLICY: 'order=gpu,cpu;exclude=gpu-webgpu',
    });
    expect(resolved).toMatchObject({
      source: 'env',
      order: ['gpu', 'cpu'],
      exclude: ['gpu-webgpu'],
    });
    expect(parsePolicy(resolved.text)).toEqual({ order: ['gpu', 'cpu'], exclude: ['gpu-webgpu'] });
  });

  it('keeps selection and tolerance in a text that round-trips', () => {
    const resolved = resolvePolicy({ order: ['gpu', 'cpu'], selection: 'latency' }, {});
    expect(resolved).toMatchObject({
      selection: 'latency',
      tolerance: undefined,
      text: 'order=gpu,cpu;selection=latency',
    });
    expect(parsePolicy(resolved.text)).toEqual({ order: ['gpu', 'cpu'], selection: 'latency' });
    expect(resolvePolicy('npu-first;tolerance=3', {}).text).toBe('npu-first;tolerance=3');
    expect(resolvePolicy(undefined, {})).toMatchObject({
      selection: 'preferred',
      text: 'npu-first',
    });
    expect(() => resolvePolicy({ selection: 'fast' } as never, {})).toThrow(/policy.selection/);
    expect(() => resolvePolicy({ tolerance: 0.9 }, {})).toThrow(/tolerance/);
  });

  it('ignores an empty environment variable', () => {
    expect(resolvePolicy('gpu-first', { NPU_FIRST_POLICY: '  ' }).source).toBe('option');
  });

  it('validates policy objects', () => {
    expect(() => resolvePolicy({ order: [] }, {})).toThrow(/order is empty/);
    expect(() => resolvePolicy({ prefer: ['npu'] } as never, {})).toThrow(/policy.prefer/);
    expect(() => resolvePolicy({ exclude: 'cpu' } as never, {})).toThrow(/policy.exclude/);
  });
});

describe('policy text types', () => {
  it('accept the forms parsePolicy reads and refuse a misspelt first word at compile time', () => {
    const ok: Policy[] = [
      'npu-first',
      'cpu',
      'gpu,cpu',
      'cpu-onnxruntime',
      'npu-first;selection=first',
      'order=gpu,cpu;exclude=gpu-onnxruntime-webgpu',
      'selection=latency',
      { order: ['gpu', 'cpu'], selection: 'first' },
    ];
    // @ts-expect-error a misspelt preset
    const preset: Policy = 'npu-frist';
    // @ts-expect-error device kinds are lower case
    const kind: Policy = 'CPU';
    // @ts-expect-error not a clause
    const clause: Policy = 'fastest=1';
    expect(ok.map((p) => resolvePolicy(p, {}).text)).toHaveLength(8);
    expect(() => resolvePolicy(clause, {})).toThrow(/fastest=1/);
    // At run time a name that matches no installed backend is the chain's to report.
    expect([preset, kind]).toEqual(['npu-frist', 'CPU']);
  });
});
