import { basename } from 'node:path';
import {
  type GenerateOptions,
  InvalidOptionError,
  type PlacedTextGenerator,
} from '@npu-first/core';
import pc from 'picocolors';
import { formatPlacement } from '../format-placement.js';
import { whileLoading } from '../load-spinner.js';
import { type Io, printJson } from '../output.js';
import { cliRuntime } from '../runtime.js';
import { type PromptSource, readPromptFrom } from '../stdin-prompt.js';
import { resolveModel } from './model-source.js';
import { loadOptionsFrom, suggestCommand } from './shared-options.js';

/** Flags shared by `generate` and `chat`. */
export interface LlmFlags {
  readonly maxTokens?: string;
  readonly seed?: string;
  readonly temperature?: string;
  readonly topP?: string;
  readonly stop?: string[];
  readonly contextSize?: string;
  readonly policy?: string;
  readonly threads?: string;
  readonly isolate?: boolean;
  readonly modelsDir?: string;
}

export interface GenerateFlags extends LlmFlags {
  readonly prompt?: string;
  readonly system?: string;
  readonly json?: boolean;
}

/** Parses a numeric flag; core validates the range and names the option in its error. */
function numberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || Number.isNaN(n))
    throw new InvalidOptionError(flag, `expected a number, got "${value}"`);
  return n;
}

/** The generation options the flags describe. */
export function generateOptionsFrom(flags: LlmFlags): GenerateOptions {
  const maxTokens = numberFlag('--max-tokens', flags.maxTokens);
  const seed = numberFlag('--seed', flags.seed);
  const temperature = numberFlag('--temperature', flags.temperature);
  const topP = numberFlag('--top-p', flags.topP);
  return {
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(temperature !== undefined ? { temperature } : {}),
    ...(topP !== undefined ? { topP } : {}),
    ...(flags.stop?.length ? { stop: flags.stop } : {}),
  };
}

/** Loads a GGUF model (path, URL or hf: reference) through the chain. */
export async function loadGenerator(
  io: Io,
  model: string,
  flags: LlmFlags & { readonly json?: boolean },
): Promise<PlacedTextGenerator> {
  const contextSize = numberFlag('--context-size', flags.contextSize);
  const loadOptions = loadOptionsFrom(flags);
  const path = await resolveModel(io, model, flags.modelsDir);
  const runtime = await cliRuntime();
  return whileLoading(
    io,
    `Loading ${basename(path)}…`,
    runtime
      .load(path, {
        ...loadOptions,
        ...(contextSize !== undefined ? { contextSize } : {}),
        task: 'text-generation',
      })
      .catch(suggestCommand('ONNX', 'npu-first run <model>')),
    { json: flags.json === true },
  );
}

/**
 * `npu-first generate <model> --prompt …`: stream the text, then stats and placement.
 * `--prompt -` reads the prompt from `stdin`.
 */
export async function generateCommand(
  io: Io,
  model: string,
  flags: GenerateFlags,
  stdin: PromptSource = process.stdin,
): Promise<number> {
  if (flags.prompt === undefined)
    throw new InvalidOptionError('--prompt', 'is required: the text to continue (- reads stdin)');
  const options = generateOptionsFrom(flags);
  const prompt = flags.prompt === '-' ? await readPromptFrom(stdin) : flags.prompt;
  const generator = await loadGenerator(io, model, flags);
  try {
    const input =
      flags.system !== undefined
        ? [
            { role: 'system' as const, content: flags.system },
            { role: 'user' as const, content: prompt },
          ]
        : prompt;
    if (flags.json) {
      const { text, stats } = await generator.generate(input, options);
      printJson(io, { text, stats, placement: generator.placement });
      return 0;
    }
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      const stream = generator.stream(input, { ...options, signal: abort.signal });
      for await (const chunk of stream) io.write(chunk);
      const { stats } = await stream.result;
      io.out('');
      io.out(pc.dim('─'.repeat(40)));
      io.out(
        `${pc.bold('Stats')}      ${stats.promptTokens} prompt tokens · ${stats.generatedTokens} generated (${stats.stopReason}) · first token ${stats.timeToFirstTokenMs} ms · ${stats.tokensPerSecond} tokens/s`,
      );
      for (const line of formatPlacement(generator.placement)) io.out(line);
    } finally {
      process.off('SIGINT', onSigint);
    }
    return 0;
  } finally {
    await generator.dispose();
  }
}
