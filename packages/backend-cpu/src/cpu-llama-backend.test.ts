import { mkdtemp, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '@npu-first/core';
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

describe('cpu-llamacpp threads', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reports the threads a load chose for this machine and model, and runs that many', async () => {
    const path = await writeTinyLlamaGguf(await mkdtemp(join(tmpdir(), 'npu-first-threads-')));
    const contexts = watchContexts();
    const runtime = await createRuntime({ backends: [createCpuLlamaBackend()], env: {} });
    const llm = await runtime.load(path, { task: 'text-generation' });
    const llama = await getLlamaFor(false);
    const expected = chooseLlamaThreads({
      logicalCores: availableParallelism(),
      mathCores: llama.cpuMathCores,
      engineMaxThreads: llama.maxThreads,
      modelBytes: (await stat(path)).size,
    });
    expect(llm.device.details).toMatchObject({
      threads: expected.threads,
      threadsFrom: expected.source,
    });
    expect(contexts.at(-1)?.idealThreads).toBe(expected.threads);
    // Never more threads than cores (node-llama-cpp's own default asks for 4 on 2 cores).
    expect(expected.threads).toBeLessThanOrEqual(availableParallelism());
    await llm.dispose();
  });

  it('lets the threads load option win over the rule and the backend default', async () => {
    const path = await writeTinyLlamaGguf(await mkdtemp(join(tmpdir(), 'npu-first-threads-')));
    const contexts = watchContexts();
    const runtime = await createRuntime({
      backends: [createCpuLlamaBackend({ threads: 2 })],
      env: {},
    });
    const byDefault = await runtime.load(path, { task: 'text-generation' });
    expect(byDefault.device.details).toMatchObject({ threads: 2, threadsFrom: 'backend default' });
    await byDefault.dispose();
    // 1: the load option must stay within this machine's logical cores (at least 1).
    const byOption = await runtime.load(path, { task: 'text-generation', threads: 1 });
    expect(byOption.device.details).toMatchObject({ threads: 1, threadsFrom: 'load option' });
    expect(contexts.at(-1)?.idealThreads).toBe(1);
    await byOption.dispose();
  });
});
