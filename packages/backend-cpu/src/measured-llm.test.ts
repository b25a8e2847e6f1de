import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, createRuntime, REFERENCE_REQUEST } from '@npu-first/core';
import { writeTinyLlamaGguf } from '@npu-first/testkit';
import { describe, expect, it } from 'vitest';
import { createCpuLlamaBackend } from './cpu-llama-backend.js';

/**
 * Measured selection of a language model on real llama.cpp: two CPU backends (the second one
 * under another id, as a third-party build of llama.cpp would be) are timed on generations, and
 * the trace carries prompt and decoding speeds.
 */
const second = (): Backend => ({ ...createCpuLlamaBackend({ threads: 1 }), id: 'cpu-llamacpp-b' });

describe('measured selection of a GGUF model', () => {
  // Two equal builds timed against each other: a loaded machine may tip one far behind, so a
  // fresh trial may be tried before the test fails.
  it('times both llama.cpp backends on greedy generations and reports their speeds', {
    retry: 2,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npu-first-llm-selection-'));
    const path = await writeTinyLlamaGguf(dir);
    const runtime = await createRuntime({
      backends: [createCpuLlamaBackend({ threads: 1 }), second()],
      env: { NPU_FIRST_PLACEMENT_CACHE: 'off' },
    });
    // Two equal builds differ by noise only: a wide tolerance keeps the preferred one.
    const model = await runtime.load(path, {
      task: 'text-generation',
      policy: 'cpu;tolerance=5',
      contextSize: 512,
    });
    const { placement } = model;
    expect(placement.backend).toBe('cpu-llamacpp');
    expect(placement.selection).toMatchObject({
      method: 'trial',
      inputs: `a ${REFERENCE_REQUEST.promptTokens}-token prompt and ${REFERENCE_REQUEST.generatedTokens} generated tokens (greedy)`,
    });
    const timed = placement.attempts.filter((a) => a.measurement);
    expect(timed.map((a) => [a.backend, a.outcome])).toEqual([
      ['cpu-llamacpp', 'selected'],
      ['cpu-llamacpp-b', 'passed-over'],
    ]);
    for (const a of timed) {
      const m = a.measurement;
      expect(m?.promptTokensPerSecond).toBeGreaterThan(0);
      expect(m?.tokensPerSecond).toBeGreaterThan(0);
      // The reference request's time follows from the two speeds.
      const expected =
        (REFERENCE_REQUEST.promptTokens / (m?.promptTokensPerSecond as number) +
          REFERENCE_REQUEST.generatedTokens / (m?.tokensPerSecond as number)) *
        1000;
      expect(m?.msPerRun).toBeCloseTo(expected, -1);
      expect(a.reason).toMatch(/prompt tokens\/s, \d+ tokens\/s\)$/);
    }
    const { text } = await model.generate('hello', { maxTokens: 4 });
    expect(typeof text).toBe('string');
    await model.dispose();
  });
});
