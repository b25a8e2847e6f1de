import { mkdtemp, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, type LoadContext, type ModelDescriptor } from '@npu-first/core';
import { chooseLlamaThreads, getLlamaFor } from '@npu-first/llama-cpp';
import { writeTinyLlamaGguf } from '@npu-first/testkit';
import { type LlamaContext, LlamaModel } from 'node-llama-cpp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCpuLlamaBackend } from './cpu-llama-backend.js';

/** The contexts node-llama-cpp creates during `load`, to read the threads they really run. */
function watchContexts(): LlamaContext[] {
  const made: LlamaContext[] = [];
  const original = LlamaModel.prototype.createContext;
  vi.spyOn(LlamaModel.prototype, 'createContext').mockImplementation(async function (
    this: LlamaModel,
    ...args
  ) {
    const context = await original.apply(this, args);
    made.push(context);
    return context;
  });
  return made;
}

/** A GGUF on disk, described as the runtime describes it to `load()`. */
async function tinyModel(): Promise<ModelDescriptor> {
  const path = await writeTinyLlamaGguf(await mkdtemp(join(tmpdir(), 'npu-first-threads-')));
  return { format: 'gguf', name: 'tiny.gguf', path, sizeBytes: (await stat(path)).size };
}

/** A load context with the given load options, as the chain passes it. */
function loadContext(options: LoadContext['options'] = {}): LoadContext {
  return {
    options,
    signal: new AbortController().signal,
    probe: { available: true, devices: [] },
  } as unknown as LoadContext;
}

describe('cpu-llamacpp threads', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reports the threads a load chose for this machine and model, and why, and runs that many', async () => {
    const model = await tinyModel();
    const contexts = watchContexts();
    const loaded = await createCpuLlamaBackend().load(model, loadContext());
    const llama = await getLlamaFor(false);
    const expected = chooseLlamaThreads({
      logicalCores: availableParallelism(),
      mathCores: llama.cpuMathCores,
      engineMaxThreads: llama.maxThreads,
      modelBytes: model.sizeBytes,
    });
    expect(loaded.details).toMatchObject({
      threads: { count: expected.threads, why: expected.source },
      engineDevice: 'llama.cpp cpu',
      note: `${expected.threads} threads (${expected.source})`,
    });
    // The device is the CPU; the threads are the load's, not the device's.
    expect(loaded.device.details).not.toHaveProperty('threads');
    expect(contexts.at(-1)?.idealThreads).toBe(expected.threads);
    // Never more threads than cores (node-llama-cpp's own default asks for 4 on 2 cores).
    expect(expected.threads).toBeLessThanOrEqual(availableParallelism());
    await loaded.session.release();
  });

  it('lets the threads load option win over the rule and the backend default', async () => {
    const model = await tinyModel();
    const contexts = watchContexts();
    const backend = createCpuLlamaBackend({ threads: 2 });
    const byDefault = await backend.load(model, loadContext());
    expect(byDefault.details?.threads).toEqual({ count: 2, why: 'backend default' });
    await byDefault.session.release();
    // 1: the load option must stay within this machine's logical cores (at least 1).
    const byOption = await backend.load(model, loadContext({ threads: 1 }));
    expect(byOption.details?.threads).toEqual({ count: 1, why: 'load option' });
    expect(contexts.at(-1)?.idealThreads).toBe(1);
    await byOption.session.release();
  });

  it('generates through the runtime', async () => {
    const model = await tinyModel();
    const runtime = await createRuntime({ backends: [createCpuLlamaBackend()], env: {} });
    const llm = await runtime.load(model.path as string, { task: 'text-generation' });
    expect(llm.placement.backend).toBe('cpu-llamacpp');
    expect(llm.placement.details).toMatchObject({ engineDevice: 'llama.cpp cpu' });
    const { stats } = await llm.generate('hello', { maxTokens: 3, temperature: 0 });
    expect(stats.generatedTokens).toBeGreaterThan(0);
    await llm.dispose();
  });

  it('embeds through the runtime, in a context with the threads the load chose', async () => {
    const model = await tinyModel();
    const contexts = watchContexts();
    const runtime = await createRuntime({ backends: [createCpuLlamaBackend()], env: {} });
    const llm = await runtime.load(model.path as string);
    if (llm.task !== 'text-generation') throw new Error('expected a text generator');
    const { vectors, promptTokens } = await llm.embed(['hello', 'hello world', 'hello']);
    expect(vectors.map((v) => v.length)).toEqual([64, 64, 64]);
    expect(vectors[0]).toEqual(vectors[2]);
    expect(vectors[0]).not.toEqual(vectors[1]);
    // BOS and one token per word of the tiny vocabulary.
    expect(promptTokens).toBe(2 + 3 + 2);
    // The generation context, then the embedding context made by the first embed().
    expect(contexts).toHaveLength(2);
    const threads = llm.placement.details?.threads?.count;
    expect(contexts.map((c) => c.idealThreads)).toEqual([threads, threads]);
    await llm.dispose();
  });
});
