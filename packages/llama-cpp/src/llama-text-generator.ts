import {
  type CheckedGenerateOptions,
  ContextOverflowError,
  checkGenerateOptions,
  checkGenerationInput,
  type DeviceInfo,
  type GenerateOptions,
  GenerationAbortedError,
  type GenerationInput,
  type GenerationResult,
  type GenerationStream,
  ModelDisposedError,
  messageOf,
  NpuFirstError,
  RunFailedError,
  type StopReason,
  type TextGenerator,
} from '@npu-first/core';
import type {
  ChatHistoryItem,
  LlamaChat,
  LlamaCompletion,
  LlamaContext,
  LlamaContextSequence,
  LlamaModel,
  TokenMeter,
} from 'node-llama-cpp';
import { chunkStream } from './chunk-stream.js';
import type { NodeLlamaCpp } from './load-node-llama-cpp.js';
import { SerialQueue } from './serial-queue.js';

/** The engine objects one loaded GGUF model owns. */
export interface LlamaParts {
  readonly nlc: NodeLlamaCpp;
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  /** Extra clean-up after the model is freed (a temporary file for in-memory models). */
  readonly cleanup?: () => Promise<void>;
}

const STOP_REASONS: Readonly<Record<string, StopReason>> = {
  eogToken: 'end-of-text',
  stopGenerationTrigger: 'end-of-text',
  functionCalls: 'end-of-text',
  maxTokens: 'max-tokens',
  customStopTrigger: 'stop-sequence',
};

/**
 * A GGUF language model on node-llama-cpp. Raw prompts go through `LlamaCompletion`,
 * conversations through `LlamaChat` with the model's own chat template. Each generation
 * depends only on its own input and options (so a seed reproduces its text): node-llama-cpp
 * keeps the evaluated state of the prefix the new input shares with what the sequence holds
 * and erases the rest, so a chat turn only evaluates what was added since the last one. A
 * prompt that would overflow the context is refused instead of silently shifted, and each
 * generation runs after the previous one.
 */
export class LlamaTextGenerator implements TextGenerator {
  readonly task = 'text-generation' as const;
  readonly contextSize: number;
  readonly #parts: LlamaParts;
  readonly #sequence: LlamaContextSequence;
  readonly #queue = new SerialQueue();
  readonly #backendId: string;
  readonly #name: string;
  #completion: LlamaCompletion | undefined;
  #chat: LlamaChat | undefined;
  #disposing: Promise<void> | undefined;

  constructor(
    parts: LlamaParts,
    backendId: string,
    name: string,
    readonly device: DeviceInfo,
  ) {
    this.#parts = parts;
    this.#sequence = parts.context.getSequence();
    this.contextSize = parts.context.contextSize;
    this.#backendId = backendId;
    this.#name = name;
  }

  generate(input: GenerationInput, options: GenerateOptions = {}): Promise<GenerationResult> {
    return this.#start(input, options, undefined, undefined);
  }

  stream(input: GenerationInput, options: GenerateOptions = {}): GenerationStream {
    return chunkStream((push, stopped) => this.#start(input, options, push, stopped));
  }

  #start(
    input: GenerationInput,
    options: GenerateOptions,
    onChunk: ((chunk: string) => void) | undefined,
    stopped: AbortSignal | undefined,
  ): Promise<GenerationResult> {
    try {
      if (this.#disposing) throw new ModelDisposedError(this.#name);
      checkGenerationInput(input);
      const checked = checkGenerateOptions(options, this.contextSize);
      return this.#queue.run(() => this.#generate(input, checked, onChunk, stopped));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #generate(
    input: GenerationInput,
    options: CheckedGenerateOptions,
    onChunk: ((chunk: string) => void) | undefined,
    stopped: AbortSignal | undefined,
  ): Promise<GenerationResult> {
    // node-llama-cpp stops only through a signal (an error thrown from its callbacks is
    // logged and generation goes on), so a stream's consumer stopping is one too.
    const signals = [options.signal, stopped].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    if (signal?.aborted) throw new GenerationAbortedError('', 0);
    const start = performance.now();
    let firstChunkAt: number | undefined;
    let text = '';
    // Counts come from the sequence's token meter, not from onToken: node-llama-cpp holds back
    // tokens that might start a stop trigger (or complete a partial character) and never passes
    // them to onToken when generation ends first, so counting callbacks under-reports.
    const meter = this.#sequence.tokenMeter;
    const before = meter.getState();
    const watch = watchSampling(meter);
    const common = {
      maxTokens: options.maxTokens,
      temperature: options.temperature,
      ...(options.topP !== undefined ? { topP: options.topP } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.stop.length > 0 ? { customStopTriggers: options.stop } : {}),
      ...(signal ? { signal } : {}),
      onTextChunk: (chunk: string) => {
        firstChunkAt ??= performance.now();
        text += chunk;
        onChunk?.(chunk);
      },
    };
    let stopReason: string;
    try {
      if (typeof input === 'string') {
        this.#checkFits(this.#parts.model.tokenize(input).length + 1, options.maxTokens);
        this.#completion ??= new this.#parts.nlc.LlamaCompletion({
          contextSequence: this.#sequence,
        });
        const response = await this.#completion.generateCompletionWithMeta(input, {
          ...common,
          disableContextShift: true,
        });
        text = response.response;
        stopReason = response.metadata.stopReason;
      } else {
        this.#chat ??= new this.#parts.nlc.LlamaChat({ contextSequence: this.#sequence });
        const history = toChatHistory(input);
        const { contextText } = this.#chat.chatWrapper.generateContextState({
          chatHistory: history,
        });
        this.#checkFits(
          contextText.tokenize(this.#parts.model.tokenizer).length,
          options.maxTokens,
        );
        const response = await this.#chat.generateResponse(history, common);
        text = response.response;
        stopReason = response.metadata.stopReason;
      }
    } catch (error) {
      const { usedOutputTokens } = meter.diff(before);
      if (signal?.aborted)
        throw new GenerationAbortedError(text, usedOutputTokens, { cause: error });
      if (NpuFirstError.isInstance(error)) throw error;
      throw new RunFailedError(this.#backendId, messageOf(error), { cause: error });
    } finally {
      watch.stop();
    }
    const end = performance.now();
    const totalMs = end - start;
    // Every sampled token took one row of logits, which the meter counts as an output token
    // (the prompt's last token gives the first row, each generated token fed back the next):
    // this includes tokens held back, a stop sequence's and the end-of-generation token.
    const generated = meter.diff(before).usedOutputTokens;
    // The last sampled token is never fed back, so the sequence holds the whole prompt (its
    // reused prefix too) plus all but one generated token.
    const promptTokens = Math.max(0, this.#sequence.nextTokenIndex - Math.max(0, generated - 1));
    // The first token was sampled when it was fed back (the meter's second output); without
    // that (one token, or a node-llama-cpp that no longer calls the meter's method), the first
    // text chunk.
    const firstTokenAt = generated > 1 ? (watch.firstSampledAt ?? firstChunkAt) : undefined;
    const decodeMs = firstTokenAt === undefined ? 0 : end - firstTokenAt;
    const tokensPerSecond =
      generated > 1 && decodeMs > 0
        ? ((generated - 1) * 1000) / decodeMs
        : generated > 0
          ? (generated * 1000) / totalMs
          : 0;
    return {
      text,
      stats: {
        promptTokens,
        generatedTokens: generated,
        timeToFirstTokenMs: round(firstTokenAt === undefined ? totalMs : firstTokenAt - start),
        tokensPerSecond: round(tokensPerSecond),
        totalMs: round(totalMs),
        stopReason: STOP_REASONS[stopReason] ?? 'end-of-text',
      },
    };
  }

  #checkFits(promptTokens: number, maxTokens: number): void {
    if (promptTokens + maxTokens > this.contextSize) {
      throw new ContextOverflowError(promptTokens, maxTokens, this.contextSize);
    }
  }

  dispose(): Promise<void> {
    this.#disposing ??= (async () => {
      await this.#queue.idle();
      await this.#parts.context.dispose();
      await this.#parts.model.dispose();
      await this.#parts.cleanup?.();
    })();
    return this.#disposing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

/** npu-first messages → node-llama-cpp chat history, ending with an empty model turn to fill. */
function toChatHistory(messages: readonly { role: string; content: string }[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m) =>
    m.role === 'system'
      ? { type: 'system', text: m.content }
      : m.role === 'user'
        ? { type: 'user', text: m.content }
        : { type: 'model', response: [m.content] },
  );
  history.push({ type: 'model', response: [] });
  return history;
}

/**
 * Notes when the first generated token is sampled: node-llama-cpp has no callback for that
 * (onToken skips held-back tokens), but the sequence counts each row of logits on its token
 * meter as it queues the decode, and the second row is queued as the first sampled token is
 * fed back. Wraps the meter's `useTokens` until `stop`.
 */
function watchSampling(meter: TokenMeter): { firstSampledAt?: number; stop(): void } {
  const own = Object.getOwnPropertyDescriptor(meter, 'useTokens');
  const useTokens = meter.useTokens;
  let outputs = 0;
  const watch: { firstSampledAt?: number; stop(): void } = {
    stop: () => {
      if (own) Object.defineProperty(meter, 'useTokens', own);
      else delete (meter as { useTokens?: unknown }).useTokens;
    },
  };
  meter.useTokens = function (this: TokenMeter, tokens, type) {
    useTokens.call(this, tokens, type);
    if (type === 'output' && tokens > 0) {
      outputs += tokens;
      if (outputs >= 2) watch.firstSampledAt ??= performance.now();
    }
  };
  return watch;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
