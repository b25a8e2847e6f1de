import { describe, expect, it } from 'vitest';
import { jsBackend, MINIMAL_ONNX } from '../chain/__fixtures__/test-backends.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { lazyBackend } from './lazy-backend.js';

const descriptor = {
  specificationVersion: 'v1',
  id: 'cpu-js',
  deviceKind: 'cpu',
  formats: ['onnx'],
  tasks: ['graph'],
} as const;

describe('lazyBackend', () => {
  it('imports the implementation once, on first probe or load, and serves through it', async () => {
    let imports = 0;
    const backend = lazyBackend(descriptor, async () => {
      imports++;
      return jsBackend('cpu-js', 'cpu');
    });
    const runtime = await createRuntime({ backends: [backend], env: {}, probe: 'lazy' });
    expect(imports).toBe(0);
    const model = await runtime.load(MINIMAL_ONNX);
    expect(model.placement.backend).toBe('cpu-js');
    await runtime.load(MINIMAL_ONNX);
    expect(imports).toBe(1);
  });

  it('refuses an implementation with another id, as a failed probe', async () => {
    const backend = lazyBackend(descriptor, async () => jsBackend('cpu-other', 'cpu'));
    const probe = await backend.probe().catch((e: Error) => e.message);
    expect(probe).toBe('lazy backend "cpu-js" was implemented as "cpu-other"');
  });
});
