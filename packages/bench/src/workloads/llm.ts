import { availableParallelism } from 'node:os';
import { createCpuLlamaBackend } from '@npu-first/backend-cpu';
import { createRuntime } from '@npu-first/core';
import type { LlamaContextSequence } from 'node-llama-cpp';
import { loadRawLlama } from '../raw-llama.js';
import { captureFirstReturn } from '../runner/capture.js';
import { type Contender, interleave, type RoundSamples } from '../runner/interleave.js';
import { compared, result } from '../runner/results.js';
import { defaultsTarget, pairedRatio, pickBest } from '../runner/stats.js';
import { scale, type WorkloadContext } from './context.js';

const PROMPT = 'The NPU is';

/** Time to first token, tokens/s and whole-generation time, one array per interleaved round. */
interface Figures {
  ttft: number[][];
  tps: number[][];
  total: number[][];
}

/**
 * Language-model generation on one GGUF: the runtime versus node-llama-cpp used directly
 * (same build, same context size, greedy sampling, same prompt and token count; on both sides
 * node-llama-cpp keeps the prompt's evaluated prefix from the previous call). Time to first
 * token is measured the same way on both sides: from the call to the first text chunk;
 * tokens/s is decoding after the first token.
 */
export async function benchLlm(ctx: WorkloadContext, label: string, path: string): Promise<void> {
  const nlc = await import('node-llama-cpp');
  const runtime = await createRuntime({ backends: [createCpuLlamaBackend()], env: {} });
  // The runtime's own context sequence, for the same-configuration comparison.
  const { value: llm, captured } = await captureFirstReturn(
    nlc.LlamaContext.prototype,
    'getSequence',
    () => runtime.load(path, { task: 'text-generation' }),
  );
  const ownSequence = captured as LlamaContextSequence | undefined;
  const runtimeThreads = llm.placement.details?.threads?.count;
  const { model } = await loadRawLlama(path);
  /** node-llama-cpp driven directly on a context sequence. */
  const rawOn = (sequence: LlamaContextSequence) => {
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
  const rawGenerator = async (threads: number | undefined) => {
    const context = await model.createContext({
      contextSize: llm.contextSize,
      sequences: 1,
      ...(threads !== undefined ? { threads } : {}),
    });
    return rawOn(context.getSequence());
  };
  const viaGenerate = async (maxTokens: number, figures: Figures) => {
    const start = performance.now();
    const { stats } = await llm.generate(PROMPT, { maxTokens });
    record(figures, start, undefined, stats.generatedTokens, false);
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
    const f: Figures = { ttft: [[]], tps: [[]], total: [[]] };
    figures.set(name, f);
    return { name, fn: () => gen(maxTokens, f) };
  };
  /** After each round, later figures go to the next round's arrays. */
  const roundDone = (r: number, n: number) => {
    for (const f of figures.values()) {
      f.ttft.push([]);
      f.tps.push([]);
      f.total.push([]);
    }
    if (n <= 10 || r % 25 === 0 || r === n) ctx.progress(`  round ${r}/${n}`);
  };
  /** Keeps the measured runs of each round: tinybench's warm-up runs recorded figures too. */
  const dropWarmups = (measured: RoundSamples) => {
    for (const [name, rounds] of measured) {
      const f = figures.get(name) as Figures;
      rounds.forEach((runs, r) => {
        f.ttft[r] = (f.ttft[r] ?? []).slice(-runs.length);
        f.tps[r] = (f.tps[r] ?? []).slice(-runs.length);
        f.total[r] = (f.total[r] ?? []).slice(-runs.length);
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
  const defaultTarget = defaultsTarget(
    pairedRatio(tpsRounds('raw default'), tpsRounds(best.variant), true),
  );
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
      defaultTarget.max,
      defaultTarget.text,
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

  // 2. Overhead at the same configuration, 64-token generations alternating run by run: the
  //    runtime (stream() and generate()) against node-llama-cpp driven directly on the runtime's
  //    own context sequence (or, if that could not be captured, a context with the same threads).
  const sameName = `raw ${runtimeThreads} thread${Number(runtimeThreads) > 1 ? 's' : ''}`;
  const rawSame = ownSequence
    ? { gen: rawOn(ownSequence), label: "raw (the runtime's own context)" }
    : raws
        .filter(([name]) => name === sameName)
        .map(([, gen]) => ({ gen, label: `raw (same config: ${sameName})` }))[0];
  if (rawSame) {
    ctx.progress(`LLM (${label}): runtime vs ${rawSame.label}, 64 tokens`);
    dropWarmups(
      await interleave(
        [
          contender('runtime stream', viaRuntime, 64),
          contender('runtime generate', viaGenerate, 64),
          contender('raw', rawSame.gen, 64),
        ],
        {
          rounds: scale(ctx, 150, 4),
          timeMs: 0,
          iterations: 1,
          warmupMs: 50,
          warmupIterations: 3,
          warmupEveryRound: false,
          onRound: roundDone,
        },
      ),
    );
    const rawTps = tps('raw', rawSame.label);
    ctx.add(rawTps);
    ctx.add(
      compared(
        {
          ...tps('runtime stream', 'runtime stream() (same config)'),
          note: 'what the stream adds (measured apart at ~5000 tokens/s): node-llama-cpp handling the stop signal ~0.5 %, chunks handed to the for-await consumer ~0.2 %; generate() has neither',
        },
        rawTps,
        1 / 0.99,
        '≥ 0.99× raw tokens/s',
        pairedRatio(tpsRounds('runtime stream'), tpsRounds('raw'), true),
      ),
    );
    const rounds = (name: string, figure: 'ttft' | 'total') => figures.get(name)?.[figure] ?? [];
    const timed = (
      workload: string,
      figure: 'ttft' | 'total',
      name: string,
      variant: string,
      note?: string,
    ) =>
      result(
        `${label} ${workload}`,
        variant,
        'ms',
        rounds(name, figure).flat(),
        note ? { note } : {},
      );
    const rawTotal = timed('64-token generation', 'total', 'raw', rawSame.label);
    ctx.add(rawTotal);
    ctx.add(
      compared(
        timed(
          '64-token generation',
          'total',
          'runtime generate',
          'runtime generate() (same config)',
        ),
        rawTotal,
        1 / 0.99,
        '≥ 0.99× raw speed',
        pairedRatio(rounds('runtime generate', 'total'), rounds('raw', 'total')),
      ),
    );
    const rawTtft = timed('time to first token', 'ttft', 'raw', rawSame.label);
    ctx.add(rawTtft);
    ctx.add(
      compared(
        timed(
          'time to first token',
          'ttft',
          'runtime stream',
          'runtime stream() (same config)',
          'node-llama-cpp setting up the stop signal (a consumer that stops iterating stops the engine) and the first chunk handed over from the event loop',
        ),
        rawTtft,
        undefined,
        undefined,
        pairedRatio(rounds('runtime stream', 'ttft'), rounds('raw', 'ttft')),
      ),
    );
  }
  await llm.dispose();
  await model.dispose();
}

/**
 * Records one generation: time to first token and tokens/s (NaN — left out of the figures —
 * without a first-chunk time or below two tokens) and the whole call's time.
 */
function record(
  f: Figures,
  start: number,
  first: number | undefined,
  tokens: number,
  streamed = true,
): void {
  const end = performance.now();
  const firstAt = first ?? end;
  (f.ttft.at(-1) as number[]).push(streamed ? firstAt - start : Number.NaN);
  (f.tps.at(-1) as number[]).push(
    streamed && tokens > 1 && end > firstAt ? ((tokens - 1) * 1000) / (end - firstAt) : Number.NaN,
  );
  (f.total.at(-1) as number[]).push(end - start);
}
