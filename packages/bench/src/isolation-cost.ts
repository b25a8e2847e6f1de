#!/usr/bin/env node
/**
 * `node packages/bench/dist/isolation-cost.js [--quick]`: what `load(model, { isolate: true })`
 * costs, side by side with the same load in-process, in one run on this machine — load time
 * (process start, discovery and chain in the child included), per-run latency of Silero VAD
 * (one IPC round trip each), and tokens/s of a generated tiny GGUF as the caller sees them.
 * Both sides use the same policy and backend; rounds alternate so drift hits both alike.
 */
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createRuntime, type Feeds, type LoadOptions, parsePolicy } from '@npu-first/core';
import { benchFeeds } from './feeds.js';
import { BENCH_ROOT, sileroPath, tinyGgufPath } from './models.js';
import { quantile } from './runner/stats.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick;
const LOADS = quick ? 2 : 6;
const RUNS = quick ? 100 : 1000;
const GENERATIONS = quick ? 3 : 10;

const runtime = await createRuntime({ roots: [BENCH_ROOT], probe: 'lazy' });
const sides = { 'in-process': {}, isolated: { isolate: true } } as const;
type Side = keyof typeof sides;

interface Row {
  readonly figure: string;
  readonly unit: string;
  readonly local: number;
  readonly isolated: number;
}
const rows: Row[] = [];
const progress = (line: string) => process.stderr.write(`${line}\n`);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** Loads (and disposes) the model `LOADS` times per side, alternating; returns the load times. */
async function loadTimes(model: string, options: LoadOptions): Promise<Record<Side, number[]>> {
  const times: Record<Side, number[]> = { 'in-process': [], isolated: [] };
  for (let i = 0; i < LOADS; i++) {
    for (const side of Object.keys(sides) as Side[]) {
      const t0 = performance.now();
      const loaded = await runtime.load(model, { ...options, ...sides[side] });
      times[side].push(performance.now() - t0);
      await loaded.dispose();
    }
  }
  return times;
}

function addMedians(figure: string, unit: string, samples: Record<Side, number[]>, q = 0.5) {
  rows.push({
    figure,
    unit,
    local: quantile(sorted(samples['in-process']), q),
    isolated: quantile(sorted(samples.isolated), q),
  });
}

// Silero VAD: one fixed CPU backend on both sides, no measured selection, so only isolation differs.
const onnx = { task: 'graph', policy: parsePolicy('cpu-onnxruntime;selection=first') } as const;
progress(`Silero VAD: ${LOADS} loads per side…`);
addMedians('Silero VAD load (median)', 'ms', await loadTimes(sileroPath(), onnx));
{
  const local = await runtime.load(sileroPath(), onnx);
  const isolated = await runtime.load(sileroPath(), { ...onnx, isolate: true });
  const feeds: Feeds = benchFeeds(local.inputs);
  const runs: Record<Side, number[]> = { 'in-process': [], isolated: [] };
  progress(`Silero VAD: ${RUNS} runs per side, alternating blocks of 50…`);
  for (const model of [local, isolated]) for (let i = 0; i < 50; i++) await model.run(feeds); // warm-up
  for (let block = 0; block < RUNS / 50; block++) {
    for (const [side, model] of [
      ['in-process', local],
      ['isolated', isolated],
    ] as const) {
      for (let i = 0; i < 50; i++) {
        const t0 = performance.now();
        await model.run(feeds);
        runs[side].push(performance.now() - t0);
      }
    }
  }
  addMedians('Silero VAD run (median)', 'ms', runs);
  addMedians('Silero VAD run (lower quartile)', 'ms', runs, 0.25);
  await local.dispose();
  await isolated.dispose();
}

// Tiny GGUF (random weights): tokens/s over the whole call, as the caller sees it.
const gguf = await tinyGgufPath();
const llm = {
  task: 'text-generation',
  policy: parsePolicy('cpu-llamacpp;selection=first'),
} as const;
progress(`tiny GGUF: ${LOADS} loads per side…`);
addMedians('tiny GGUF load (median)', 'ms', await loadTimes(gguf, llm));
{
  const local = await runtime.load(gguf, llm);
  const isolated = await runtime.load(gguf, { ...llm, isolate: true });
  const tps: Record<Side, number[]> = { 'in-process': [], isolated: [] };
  const options = { maxTokens: 128, temperature: 0 };
  progress(`tiny GGUF: ${GENERATIONS} generations of 128 tokens per side…`);
  for (const model of [local, isolated]) await model.generate('The NPU is', options);
  for (let i = 0; i < GENERATIONS; i++) {
    for (const [side, model] of [
      ['in-process', local],
      ['isolated', isolated],
    ] as const) {
      // Streamed, as chat and generate use it: every chunk crosses the IPC channel.
      const t0 = performance.now();
      const stream = model.stream('The NPU is', options);
      for await (const _ of stream);
      const { stats } = await stream.result;
      tps[side].push(stats.generatedTokens / ((performance.now() - t0) / 1000));
    }
  }
  addMedians('tiny GGUF streamed tokens/s (median)', 'tokens/s', tps);
  await local.dispose();
  await isolated.dispose();
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
const lines = [
  `Isolation cost — ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'CPU'} (${availableParallelism()} cores), Node ${process.version}${quick ? ' — QUICK, not figures to quote' : ''}`,
  '',
  `| ${pad('figure', 38)} | ${pad('in-process', 12)} | ${pad('isolated', 12)} | isolated ÷ in-process |`,
  `| ${'-'.repeat(38)} | ${'-'.repeat(12)} | ${'-'.repeat(12)} | --------------------- |`,
  ...rows.map(
    (r) =>
      `| ${pad(r.figure, 38)} | ${pad(`${num(r.local)} ${r.unit}`, 12)} | ${pad(`${num(r.isolated)} ${r.unit}`, 12)} | ${(r.isolated / r.local).toFixed(2)}× |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
