import { describe, expect, it } from 'vitest';
import { thrown } from '../__fixtures__/thrown.js';
import { EmbeddingUnsupportedError } from '../errors/errors.js';
import {
  countingSession,
  embeddingSession,
  letterCounts,
} from '../lifecycle/__fixtures__/js-sessions.js';
import { v1Backend } from '../spec/__fixtures__/v1-plugin.js';
import type { BackendV2, GenerationSession } from '../spec/backend-v2.js';
import { createRuntime } from './create-runtime.js';

/** An empty but well-formed GGUF v3 file: magic, version, no tensors, no metadata. */
const EMPTY_GGUF = new Uint8Array([
  0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);

/** A v2 CPU backend for GGUF whose loads get `session()`; higher `priority` is tried first. */
function gguf(id: string, priority: number, session: () => GenerationSession): BackendV2 {
  return {
    specificationVersion: 'v2',
    id,
    deviceKind: 'cpu',
    priority,
    formats: ['gguf'],
    tasks: ['text-generation'],
    probe: async () => ({ available: true, devices: [{ name: 'JavaScript' }] }),
    load: async () => ({
      task: 'text-generation',
      session: session(),
      device: { name: 'JavaScript' },
    }),
  };
}

describe('embed() on a model the runtime loaded', () => {
  it('embeds on the serving backend, and fails over when its engine fails', async () => {
    const runtime = await createRuntime({
      backends: [
        gguf('cpu-js-a', 2, () => embeddingSession({ fail: 'device lost' })),
        gguf('cpu-js-b', 1, () => embeddingSession()),
      ],
      env: {},
    });
    const model = await runtime.load(EMPTY_GGUF, { task: 'text-generation' });
    expect(model.placement.backend).toBe('cpu-js-a');
    const { vectors, promptTokens } = await model.embed(['ab', 'c d']);
    expect(vectors).toEqual([letterCounts('ab'), letterCounts('c d')]);
    expect(promptTokens).toBe(3);
    expect(model.placement.backend).toBe('cpu-js-b');
    expect(model.placement.failovers).toMatchObject([
      { from: 'cpu-js-a', to: 'cpu-js-b', reason: 'Inference on cpu-js-a failed: device lost' },
    ]);
    await model.dispose();
  });

  it('refuses with EMBEDDING_UNSUPPORTED on a backend without embeddings, and stays there', async () => {
    const runtime = await createRuntime({
      backends: [
        gguf('cpu-js-a', 2, () => countingSession()),
        gguf('cpu-js-b', 1, () => embeddingSession()),
      ],
      env: {},
    });
    const model = await runtime.load(EMPTY_GGUF, { task: 'text-generation' });
    const error = await thrown(model.embed('hello'));
    expect(EmbeddingUnsupportedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ backend: 'cpu-js-a' });
    expect(model.placement).toMatchObject({ backend: 'cpu-js-a' });
    expect(model.placement.failovers).toBeUndefined();
    expect((await model.generate('go', { maxTokens: 2 })).text).toBe('1 2');
    await model.dispose();
  });

  it('refuses with EMBEDDING_UNSUPPORTED on a v1 plugin whose generator has no embed', async () => {
    const runtime = await createRuntime({ backends: [v1Backend()], env: {} });
    const model = await runtime.load(EMPTY_GGUF, { task: 'text-generation' });
    const error = await thrown(model.embed(['a']));
    expect(EmbeddingUnsupportedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ backend: 'cpu-js-v1' });
    await model.dispose();
  });
});
