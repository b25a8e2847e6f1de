import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyLlamaGguf } from '@npu-first/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../__fixtures__/run-cli.js';
import { writeSymbolicModel } from '../__fixtures__/symbolic-model.js';

let dir: string;
let onnx: string;

async function cli(...args: string[]) {
  const run = await runCli(...args);
  return { ...run, out: run.all };
}

type Step = { backend: string; deviceKind: string; verdict: string; reason: string };
const step = (steps: Step[], id: string) => steps.find((s) => s.backend === id);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npu-first-inspect-'));
  onnx = await writeSymbolicModel(dir);
});

describe('npu-first inspect', () => {
  it('--json shows format, size, inputs and outputs with symbolic names, and the dry run', async () => {
    const { code, json } = await cli('inspect', onnx, '--json');
    expect(code).toBe(0);
    expect(json.model).toMatchObject({ name: 'symbolic.onnx', format: 'onnx', task: 'graph' });
    expect(json.model.sizeBytes).toBeGreaterThan(0);
    const shape = ['p2o.DynamicDimension.0', 3, 'p2o.DynamicDimension.1', 'p2o.DynamicDimension.2'];
    expect(json.inputs).toEqual([{ name: 'x', type: 'float32', shape }]);
    expect(json.outputs).toEqual([{ name: 'y', type: 'float32', shape }]);
    expect(json.readBy).toMatch(/^cpu-/);
    // Every installed backend, in chain order, with why it would or would not take the model.
    const steps: Step[] = json.backends;
    expect(steps[0]).toMatchObject({ backend: 'npu-coreml', verdict: 'unavailable' });
    expect(step(steps, 'npu-openvino')?.reason).toMatch(/^no NPU: .*\/class\/accel/);
    expect(step(steps, 'cpu-llamacpp')).toMatchObject({
      verdict: 'rejected',
      reason: 'takes gguf models; this is onnx',
    });
    expect(step(steps, 'cpu-onnxruntime')).toMatchObject({ verdict: 'eligible' });
    expect(json.policy).toEqual({ source: 'default', text: 'npu-first' });
  });

  it('prints the same for a person, with each symbolic dimension by name', async () => {
    const { code, out } = await cli('inspect', onnx);
    expect(code).toBe(0);
    expect(out).toContain('Model      symbolic.onnx (onnx, ');
    expect(out).toContain(
      '  x  float32 [p2o.DynamicDimension.0, 3, p2o.DynamicDimension.1, p2o.DynamicDimension.2]  symbolic: p2o.DynamicDimension.0, p2o.DynamicDimension.1, p2o.DynamicDimension.2',
    );
    expect(out).toMatch(/cpu +cpu-onnxruntime +eligible +accepts it; would load on /);
  });

  it('dry-runs a GGUF model and a policy, and reports a missing model as an error', async () => {
    const gguf = await writeTinyLlamaGguf(dir);
    const { json } = await cli('inspect', gguf, '--policy', 'cpu-only', '--json');
    expect(json.model).toMatchObject({ format: 'gguf', task: 'text-generation' });
    expect(json.inputs).toBeNull();
    const steps: Step[] = json.backends;
    expect(step(steps, 'cpu-llamacpp')).toMatchObject({ verdict: 'eligible' });
    expect(step(steps, 'cpu-onnxruntime')).toMatchObject({ verdict: 'rejected' });
    expect(steps.filter((s) => s.deviceKind === 'gpu').every((s) => s.verdict === 'excluded')).toBe(
      true,
    );
    const missing = await cli('inspect', join(dir, 'none.onnx'), '--json');
    expect(missing.code).toBe(1);
    expect(missing.json.error.code).toBe('MODEL_NOT_FOUND');
  });
});
