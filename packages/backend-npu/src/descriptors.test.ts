import { describe, expect, it } from 'vitest';
import { createCoreMlNpuBackend } from './coreml/coreml-backend.js';
import { COREML_NPU_DESCRIPTOR, OPENVINO_NPU_DESCRIPTOR } from './descriptors.js';
import { createOpenVinoNpuBackend } from './openvino/openvino-backend.js';

describe('the lazy plugin entry describes the backends as they are', () => {
  it.each([
    [COREML_NPU_DESCRIPTOR, createCoreMlNpuBackend()],
    [OPENVINO_NPU_DESCRIPTOR, createOpenVinoNpuBackend()],
  ])('%#: same id, kind, name, priority, formats, tasks, precision', (descriptor, backend) => {
    const { probe: _p, accepts: _a, load: _l, ...fields } = backend;
    expect(fields).toEqual(descriptor);
  });
});
