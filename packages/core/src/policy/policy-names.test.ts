import { describe, expect, it } from 'vitest';
import { jsBackend, MINIMAL_ONNX } from '../chain/__fixtures__/test-backends.js';
import { InvalidOptionError } from '../errors/errors.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { nearestName } from '../validation/did-you-mean.js';
import type { Policy } from './policy.js';

const backends = [jsBackend('cpu-js', 'cpu')];
const failure = async (p: Promise<unknown>) => {
  const error = await p.catch((e: unknown) => e);
  if (!InvalidOptionError.isInstance(error)) throw error;
  return { option: error.option, reason: error.reason };
};

describe('policy names', () => {
  it.each([
    ['npu-frist', 'npu-first'],
    ['CPU', 'cpu'],
    ['gpu,cpu-jss', 'cpu-js'],
    ['order=cpu;exclude=cpu-onnxruntme', 'cpu-onnxruntime'],
  ])('refuses %s at load, suggesting %s', async (text, suggestion) => {
    const runtime = await createRuntime({ env: {}, backends });
    const { option, reason } = await failure(
      runtime.load(MINIMAL_ONNX, { policy: text as Policy }),
    );
    expect(option).toBe('policy');
    expect(reason).toContain(`(did you mean ${suggestion}?)`);
    expect(reason).toContain('installed backends: cpu-js');
    expect((await runtime.load(MINIMAL_ONNX)).placement.backend).toBe('cpu-js');
  });

  it('refuses them in createRuntime, dryRun and NPU_FIRST_POLICY too', async () => {
    expect(
      await failure(createRuntime({ env: {}, backends, policy: { order: ['Gpu'] } })),
    ).toMatchObject({
      option: 'policy',
    });
    expect(
      await failure(createRuntime({ env: { NPU_FIRST_POLICY: 'cpu,npu-frist' }, backends })),
    ).toMatchObject({ option: 'NPU_FIRST_POLICY' });
    const runtime = await createRuntime({ env: {}, backends });
    expect(await failure(runtime.dryRun(MINIMAL_ONNX, { policy: 'cpuu' as Policy }))).toMatchObject(
      {
        option: 'policy',
      },
    );
  });

  it('takes device kinds, installed ids, and first-party ids this machine lacks', async () => {
    const runtime = await createRuntime({ env: {}, backends });
    const placed = await runtime.load(MINIMAL_ONNX, {
      policy: { order: ['npu-openvino', 'gpu', 'cpu-js'], exclude: ['gpu-llamacpp-metal'] },
    });
    expect(placed.placement.backend).toBe('cpu-js');
  });
});

describe('nearestName', () => {
  it('prefers a case-insensitive match, then a close spelling, else nothing', () => {
    expect(nearestName('CPU', ['npu', 'gpu', 'cpu'])).toBe('cpu');
    expect(nearestName('npu-frist', ['npu-first', 'gpu-first'])).toBe('npu-first');
    expect(nearestName('interOpThread', ['interOpThreads', 'executionMode'])).toBe(
      'interOpThreads',
    );
    expect(nearestName('tensorflow', ['npu', 'gpu', 'cpu'])).toBeUndefined();
  });
});
