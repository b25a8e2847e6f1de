import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCpuLlamaBackend } from '@npu-first/backend-cpu';
import { createRuntime, StreamInterruptedError } from '@npu-first/core';
import { writeTinyLlamaGguf } from '@npu-first/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { faultyBackend } from './__fixtures__/faulty-backend.js';
import { FIRST } from './silero-cases.js';

const PROMPT = 'The NPU is';
const OPTIONS = { maxTokens: 24, temperature: 0.8, seed: 7 };
let path: string;
let clean: string;

beforeAll(async () => {
  path = await writeTinyLlamaGguf(await mkdtemp(join(tmpdir(), 'npu-first-failover-')));
  const runtime = await createRuntime({ backends: [createCpuLlamaBackend()], env: {} });
  const llm = await runtime.load(path, { task: 'text-generation' });
  clean = (await llm.generate(PROMPT, OPTIONS)).text;
  await llm.dispose();
  expect(clean.length).toBeGreaterThan(0);
});

async function loadFailingAfter(chunks: number) {
  const gpu = faultyBackend(createCpuLlamaBackend(), 'gpu-llama-fixture', 'gpu', {
    failAfterChunks: chunks,
  });
  const runtime = await createRuntime({
    backends: [gpu, createCpuLlamaBackend()],
    policy: FIRST,
    env: {},
  });
  const llm = await runtime.load(path, { task: 'text-generation' });
  expect(llm.placement.backend).toBe('gpu-llama-fixture');
  return llm;
}

describe('failover of a generation that fails mid-way', () => {
  it('generate() restarts from the input on the next backend: the same text as a clean run', async () => {
    const llm = await loadFailingAfter(3);
    const result = await llm.generate(PROMPT, OPTIONS);
    expect(result.text).toBe(clean);
    expect(llm.placement.failovers?.[0]).toMatchObject({
      from: 'gpu-llama-fixture',
      to: 'cpu-llamacpp',
      code: 'RUN_FAILED',
    });
    await llm.dispose();
  });

  it('stream() that fails before its first chunk restarts unseen', async () => {
    const llm = await loadFailingAfter(0);
    const stream = llm.stream(PROMPT, OPTIONS);
    let text = '';
    for await (const chunk of stream) text += chunk;
    expect(text).toBe(clean);
    expect((await stream.result).text).toBe(clean);
    expect(llm.placement.backend).toBe('cpu-llamacpp');
    await llm.dispose();
  });

  it('stream() that fails after chunks ends with STREAM_INTERRUPTED, never a partial result', async () => {
    const llm = await loadFailingAfter(3);
    const stream = llm.stream(PROMPT, OPTIONS);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) seen.push(chunk);
    })().catch((e: unknown) => e);
    expect(StreamInterruptedError.isInstance(error)).toBe(true);
    const interrupted = error as StreamInterruptedError;
    expect(interrupted.partialText).toBe(seen.join(''));
    expect(seen).toHaveLength(3);
    expect(interrupted.failover).toMatchObject({ to: 'cpu-llamacpp' });
    await expect(stream.result).rejects.toBe(error);
    // The model has moved: the next call serves the whole text from the start.
    let text = '';
    for await (const chunk of llm.stream(PROMPT, OPTIONS)) text += chunk;
    expect(text).toBe(clean);
    await llm.dispose();
  });
});
