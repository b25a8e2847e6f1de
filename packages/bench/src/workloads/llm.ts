import { availableParallelism } from 'node:os';
import { createCpuLlamaBackend } from '@npu-first/backend-cpu';
import { createRuntime } from '@npu-first/core';
import { loadRawLlama } from '../raw-llama.js';
import { type Contender, interleave, type RoundSamples } from '../runner/interleave.js';
import { compared, result } from '../runner/results.js';
import { pairedRatio, pickBest } from '../runner/stats.js';
import { scale, type WorkloadContext } from './context.js';

const PROMPT = 'The NPU is';

/** Time to first token and tokens/s, one array per interleaved round. */
interface Figures {
  ttft: number[][];
  tps: number[][];
}

/**
 * Language-model generation on one GGUF: the runtime versus node-llama-cpp used directly
 * (same build, same context size, greedy sampling, same prompt and token count; on both sides
 * node-llama-cpp keeps the prompt's evaluated prefix from the previous call). Time to first
 * token is measured the same way on both sides: from the call to the first text chunk;
 * tokens/s is decoding after the first token.
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
    const f: Figures = { ttft: [[]], tps: [[]] };
    figures.set(name, f);
    return { name, fn: () => gen(maxTokens, f) };
  };
  /** After each round, later figures go to the next round's arrays. */
  const roundDone = (r: number, n: number) => {
    for (const f of figures.values()) {
      f.ttft.push([]);
      f.tps.push([]);
    }
    ctx.progress(`  round ${r}/${n}`);
  };
  /** Keeps the measured runs of each round: tinybench's warm-up runs recorded figures too. */
  const dropWarmups = (measured: RoundSamples) => {
    for (const [name, rounds] of measured) {
      const f = figures.get(name) as Figures;
      rounds.forEach((runs, r) => {
        f.ttft[r] = (f.ttft[r] ?? []).slice(-runs.length);
        f.tps[r] = (f.tps[r] ?? []).slice(-runs.length);
      });
    }
  };
  const tpsRounds = (name: string) => figures.get(name)?.tps ?? [];
  const tps = (name: string, variant = name) =>
    result(`${label} tokens/s`, variant, 'tokens/s', tpsRounds(name).flat());

  // 1. Defaults: the engine's default threads can be orders of magnitude slower, so 32 tokens and few rounds.
  ctx.progress(
    `LLM (${label}): runtime (${runtimeThreads ?? '?'} threads) vs raw default vs raw 1…${cores} threads, 32 tokens`,
  );
  dropWarmups(
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
        onRound: roundDone,
      },
    ),
  );
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
      pairedRatio(tpsRounds('runtime default'), tpsRounds('raw default'), true),
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
      pairedRatio(tpsRounds('runtime default'), tpsRounds(best.variant), true),
    ),
  );

  // 2. Overhead at the same configuration, longer generations, more rounds.
  const sameName = `raw ${runtimeThreads} thread${Number(runtimeThreads) > 1 ? 's' : ''}`;
  const same = raws.find(([name]) => name === sameName);
  if (same) {
    ctx.progress(`LLM (${label}): runtime vs raw at ${runtimeThreads} threads, 64 tokens`);
    dropWarmups(
      await interleave([contender('runtime', viaRuntime, 64), contender('raw', same[1], 64)], {
        rounds: scale(ctx, 20, 2),
        timeMs: 200,
        iterations: 3,
        warmupMs: 50,
        warmupIterations: 2,
        onRound: roundDone,
      }),
    );
    const rawTps = tps('raw', `raw (${runtimeThreads} threads)`);
    ctx.add(rawTps);
    ctx.add(
      compared(
        tps('runtime', 'runtime (same config)'),
        rawTps,
        1 / 0.99,
        '≥ 0.99× raw tokens/s',
        pairedRatio(tpsRounds('runtime'), tpsRounds('raw'), true),
      ),
    );
    const ttftRounds = (name: string) => figures.get(name)?.ttft ?? [];
    const ttft = (name: string, variant: string, note?: string) =>
      result(
        `${label} time to first token`,
        variant,
        'ms',
        ttftRounds(name).flat(),
        note ? { note } : {},
      );
    const rawTtft = ttft('raw', `raw (${runtimeThreads} threads)`);
    ctx.add(rawTtft);
    ctx.add(
      compared(
        ttft(
          'runtime',
          'runtime (same config)',
          'the stream: an AbortSignal so a consumer that stops iterating stops the engine, and one async-iterator hop to the first chunk',
        ),
        rawTtft,
        undefined,
        undefined,
        pairedRatio(ttftRounds('runtime'), ttftRounds('raw')),
      ),
    );
  }
  await llm.dispose();
  await model.dispose();
}

/** Records one generation; tokens/s is NaN (left out of the figures) below two tokens. */
function record(f: Figures, start: number, first: number | undefined, tokens: number): void {
  const end = performance.now();
  const firstAt = first ?? end;
  (f.ttft.at(-1) as number[]).push(firstAt - start);
  (f.tps.at(-1) as number[]).push(
    tokens > 1 && end > firstAt ? ((tokens - 1) * 1000) / (end - firstAt) : Number.NaN,
  );
}
