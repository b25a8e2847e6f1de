import { availableParallelism } from 'node:os';
import { createCpuLlamaBackend } from '@npu-first/backend-cpu';
import { createRuntime } from '@npu-first/core';
import { loadRawLlama } from '../raw-llama.js';
import { type Contender, interleave } from '../runner/interleave.js';
import { compared, result } from '../runner/results.js';
import { pickBest } from '../runner/stats.js';
import type { BenchResult } from '../types.js';
import { scale, type WorkloadContext } from './context.js';

const PROMPT = 'The NPU is';

interface Figures {
  ttft: number[];
  tps: number[];
}

/**
 * Language-model generation on one GGUF: the runtime versus node-llama-cpp used directly
 * (same build, same context size, greedy sampling, a fresh context history each time, same
 * prompt and token count). Time to first token is measured the same way on both sides: from
 * the call to the first text chunk; tokens/s is decoding after the first token.
 */
export async function benchLlm(ctx: WorkloadContext, label: string, path: string): Promise<void> {
  const runtime = await createRuntime({ backends: [createCpuLlamaBackend()], env: {} });
  const llm = await runtime.load(path, { task: 'text-generation' });
  const runtimeThreads = llm.device.details?.threads;
  const { nlc, model } = await loadRawLlama(path);
  const rawGenerator = async (threads: number | undefined) => {
    const context = await model.createContext({
      contextSize: llm.contextSize,
      sequences: 1,
      ...(threads !== undefined ? { threads } : {}),
    });
    const sequence = context.getSequence();
    const completion = new nlc.LlamaCompletion({ contextSequence: sequence });
    return async (maxTokens: number, figures: Figures) => {
      await sequence.clearHistory();
      const start = performance.now();
      let first: number | undefined;
      let tokens = 0;
      await completion.generateCompletion(PROMPT, {
        maxTokens,
        temperature: 0,
        disableContextShift: true,
        onToken: (t) => {
          tokens += t.length;
        },
        onTextChunk: () => {
          first ??= performance.now();
        },
      });
      record(figures, start, first, tokens);
    };
  };
  const viaRuntime = async (maxTokens: number, figures: Figures) => {
    const start = performance.now();
    let first: number | undefined;
    const stream = llm.stream(PROMPT, { maxTokens });
    for await (const _ of stream) first ??= performance.now();
    const { stats } = await stream.result;
    record(figures, start, first, stats.generatedTokens);
  };

  const cores = availableParallelism();
  const raws: [string, Awaited<ReturnType<typeof rawGenerator>>][] = [
    ['raw default', await rawGenerator(undefined)],
  ];
  for (let t = 1; t <= cores; t++)
    raws.push([`raw ${t} thread${t > 1 ? 's' : ''}`, await rawGenerator(t)]);
  const figures = new Map<string, Figures>();
  const contender = (
    name: string,
    gen: (n: number, f: Figures) => Promise<void>,
    maxTokens: number,
  ): Contender => {
    const f: Figures = { ttft: [], tps: [] };
    figures.set(name, f);
    return { name, fn: () => gen(maxTokens, f) };
  };

  // 1. Defaults: the engine's default threads can be orders of magnitude slower, so 32 tokens and few rounds.
  ctx.progress(
    `LLM (${label}): runtime (${runtimeThreads ?? '?'} threads) vs raw default vs raw 1…${cores} threads, 32 tokens`,
  );
  await interleave(
    [
      contender('runtime default', viaRuntime, 32),
      ...raws.map(([name, gen]) => contender(name, gen, 32)),
    ],
    {
      rounds: scale(ctx, 3, 1),
      timeMs: 0,
      iterations: 1,
      warmupMs: 0,
      warmupIterations: 1,
      onRound: (r, n) => ctx.progress(`  round ${r}/${n}`),
    },
  );
  const tps = (name: string, variant = name) =>
    result(`${label} tokens/s`, variant, 'tokens/s', figures.get(name)?.tps ?? []);
  const rawDefault = tps('raw default');
  const swept = raws.map(([name]) => tps(name));
  const best = pickBest(swept, true, 0.01);
  const rtDefault = tps('runtime default');
  for (const r of swept) ctx.add(r);
  ctx.add({
    ...best,
    name: `${label} tokens/s · raw best (sweep)`,
    variant: 'raw best (sweep)',
    note: `sweep's best: ${best.variant}`,
  });
  ctx.add(
    compared(
      { ...rtDefault, note: `${runtimeThreads ?? '?'} threads (cpu-llamacpp default)` },
      rawDefault,
      best === rawDefault ? 1.05 : 1.0,
      best === rawDefault ? '≤ 1.05× raw default (the best)' : '< 1× raw default',
    ),
  );
  ctx.add(
    compared(
      {
        ...rtDefault,
        name: `${label} tokens/s · runtime default vs best`,
        variant: 'runtime default vs best',
      },
      best,
      1.05,
      '≤ 1.05× sweep best',
    ),
  );

  // 2. Overhead at the same configuration, longer generations.
  const sameName = `raw ${runtimeThreads} thread${Number(runtimeThreads) > 1 ? 's' : ''}`;
  const same = raws.find(([name]) => name === sameName);
  if (same) {
    ctx.progress(`LLM (${label}): runtime vs raw at ${runtimeThreads} threads, 64 tokens`);
    await interleave([contender('runtime', viaRuntime, 64), contender('raw', same[1], 64)], {
      rounds: scale(ctx, 6, 1),
      timeMs: 200,
      iterations: 3,
      warmupMs: 100,
      warmupIterations: 2,
      onRound: (r, n) => ctx.progress(`  round ${r}/${n}`),
    });
    const rawTps = tps('raw', `raw (${runtimeThreads} threads)`);
    const rawTtft = ttft(label, 'raw', figures, `raw (${runtimeThreads} threads)`);
    ctx.add(rawTps);
    ctx.add(
      compared(tps('runtime', 'runtime (same config)'), rawTps, 1 / 0.99, '≥ 0.99× raw tokens/s'),
    );
    ctx.add(rawTtft);
    ctx.add(compared(ttft(label, 'runtime', figures, 'runtime (same config)'), rawTtft));
  }
  await llm.dispose();
  await model.dispose();
}

function ttft(
  label: string,
  name: string,
  figures: Map<string, Figures>,
  variant: string,
): BenchResult {
  return result(`${label} time to first token`, variant, 'ms', figures.get(name)?.ttft ?? []);
}

function record(f: Figures, start: number, first: number | undefined, tokens: number): void {
  const end = performance.now();
  const firstAt = first ?? end;
  f.ttft.push(firstAt - start);
  if (tokens > 1 && end > firstAt) f.tps.push(((tokens - 1) * 1000) / (end - firstAt));
}
