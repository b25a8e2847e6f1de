import { type Backend, InvalidOptionError } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import { createCoreMlNpuBackend } from './coreml/coreml-backend.js';
import { COREML_NPU_DESCRIPTOR, OPENVINO_NPU_DESCRIPTOR } from './descriptors.js';
import { createOpenVinoNpuBackend } from './openvino/openvino-backend.js';

describe('the lazy plugin entry describes the backends as they are', () => {
  it.each([
    [COREML_NPU_DESCRIPTOR, createCoreMlNpuBackend()],
    [OPENVINO_NPU_DESCRIPTOR, createOpenVinoNpuBackend()],
  ])('%#: same id, kind, name, priority, formats, tasks, precision', (descriptor, backend) => {
    const { probe: _p, accepts: _a, load: _l, checkOptions: _c, ...fields } = backend;
    const { checkOptions: _d, ...described } = descriptor;
    expect(fields).toEqual(described);
  });

  it.each([
    [COREML_NPU_DESCRIPTOR, createCoreMlNpuBackend()],
    [OPENVINO_NPU_DESCRIPTOR, createOpenVinoNpuBackend()],
  ])('%#: the descriptor checks options as the backend does', (descriptor, backend) => {
    const verdict = (check: Backend['checkOptions'], options: Record<string, unknown>) => {
      try {
        check?.(options);
        return 'ok';
      } catch (error) {
        return InvalidOptionError.isInstance(error) ? error.option : String(error);
      }
    };
    for (const options of [{ shapes: { batch: 1 } }, { shapez: {} }, { shapes: { batch: 0 } }]) {
      const expected = verdict(backend.checkOptions, options);
      expect(verdict(descriptor.checkOptions, options)).toBe(expected);
    }
    expect(verdict(descriptor.checkOptions, { shapez: {} })).toBe(
      `backendOptions.${descriptor.id}.shapez`,
    );
  });
});
