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
  Token,
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
    let firstTokenAt: number | undefined;
    let promptTokens = 0;
    let generated = 0;
    let text = '';
    const common = {
      maxTokens: options.maxTokens,
      temperature: options.temperature,
      ...(options.topP !== undefined ? { topP: options.topP } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.stop.length > 0 ? { customStopTriggers: options.stop } : {}),
      ...(signal ? { signal } : {}),
      onToken: (tokens: Token[]) => {
        if (firstTokenAt === undefined) {
          firstTokenAt = performance.now();
          promptTokens = this.#sequence.nextTokenIndex - tokens.length;
        }
        generated += tokens.length;
      },
      onTextChunk: (chunk: string) => {
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
      if (signal?.aborted) throw new GenerationAbortedError(text, generated, { cause: error });
      if (NpuFirstError.isInstance(error)) throw error;
      throw new RunFailedError(this.#backendId, messageOf(error), { cause: error });
    }
    const end = performance.now();
    const totalMs = end - start;
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

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
