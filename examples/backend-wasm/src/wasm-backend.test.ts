import { inspectModel, type LoadContext } from '@npu-first/core';
import { buildMlp } from '@npu-first/testkit';
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from './wasm-backend.js';

const loadWith = async (threads?: number) => {
  const backend = createWasmBackend(threads === undefined ? {} : { threads });
  const context: LoadContext = {
    options: {},
    backendOptions: undefined,
    probe: await backend.probe(),
    signal: new AbortController().signal,
  };
  return backend.load(await inspectModel(buildMlp().bytes), context);
};

describe('the wasm backend (spec v2)', () => {
  it('returns a session, a device that is only a name, and details of what it chose', async () => {
    const loaded = await loadWith();
    try {
      expect(loaded.task).toBe('graph');
      expect(loaded.device.name).toBe('WebAssembly (onnxruntime-web)');
      expect(loaded.details).toEqual({
        threads: { count: 1, why: 'backend default' },
        engineDevice: 'onnxruntime-web wasm',
      });
      const graph = loaded.task === 'graph' ? loaded.session : expect.fail('a graph session');
      expect(graph.inputs.map((i) => i.name)).toEqual(['x']);
    } finally {
      await loaded.session.release();
    }
  });

  it('says when the threads came from its option', async () => {
    const loaded = await loadWith(1);
    await loaded.session.release();
    expect(loaded.details?.threads).toEqual({ count: 1, why: 'backend option threads' });
  });
});
