import {
  type CheckedGeneration,
  GenerationAbortedError,
  type GenerationInput,
  type GenerationSession,
  messageOf,
  NpuFirstError,
  RunFailedError,
  type SessionEmbedding,
  type SessionGeneration,
  type StopReason,
} from '@npu-first/core';
import type {
  ChatHistoryItem,
  LlamaChat,
  LlamaCompletion,
  LlamaContext,
  LlamaContextSequence,
  LlamaModel,
} from 'node-llama-cpp';
import { LlamaEmbedder } from './llama-embedder.js';
import type { NodeLlamaCpp } from './load-node-llama-cpp.js';
import { heldBackText, type SampledTokens, watchSampledTokens } from './sampled-tokens.js';

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
 * A GGUF language model on node-llama-cpp, as a backend spec v2 `GenerationSession` (core's
 * lifecycle queues, checks options and disposes). Raw prompts go through `LlamaCompletion`,
 * conversations through `LlamaChat` with the model's own chat template. Each generation
 * depends only on its own input and options (so a seed reproduces its text): node-llama-cpp
 * keeps the evaluated state of the prefix the new input shares with what the sequence holds
 * and erases the rest, so a chat turn only evaluates what was added since the last one.
 * Embeddings use a context of their own (`LlamaEmbedder`), made on the first `embed()`.
 */
export class LlamaGenerationSession implements GenerationSession {
  readonly contextSize: number;
  readonly #parts: LlamaParts;
  readonly #sequence: LlamaContextSequence;
  readonly #backendId: string;
  readonly #newRecord: () => SampledTokens;
  readonly #embedder: LlamaEmbedder;
  #completion: LlamaCompletion | undefined;
  #chat: LlamaChat | undefined;

  constructor(parts: LlamaParts, backendId: string) {
    this.#parts = parts;
    this.#sequence = parts.context.getSequence();
    this.contextSize = parts.context.contextSize;
    this.#backendId = backendId;
    this.#newRecord = watchSampledTokens(this.#sequence);
    this.#embedder = new LlamaEmbedder(parts.model, {
      backendId,
      contextSize: this.contextSize,
      threads: parts.context.idealThreads,
    });
  }

  /** The tokens node-llama-cpp evaluates for `input`, counted the way it builds them. */
  countPromptTokens(input: GenerationInput): number {
    const { model } = this.#parts;
    if (typeof input === 'string') {
      // LlamaCompletion: a start token where the vocabulary wants one, then the text tokenized
      // without special tokens, its leading space trimmed when a start token precedes it.
      const start = startToken(model);
      return (
        (start ? 1 : 0) +
        model.tokenize(input, false, start ? 'trimLeadingSpace' : undefined).length
      );
    }
    const { contextText } = this.#chatOf().chatWrapper.generateContextState({
      chatHistory: toChatHistory(input),
    });
    return contextText.tokenize(model.tokenizer).length;
  }

  async generate(
    { input, options }: CheckedGeneration,
    onChunk: (text: string) => void,
    signal: AbortSignal,
  ): Promise<SessionGeneration> {
    const called = performance.now();
    let text = '';
    // Counts come from the sequence's token meter, not from onToken: node-llama-cpp holds back
    // tokens that might start a stop trigger (or complete a partial character) and never passes
    // them to onToken when generation ends first, so counting callbacks under-reports.
    const meter = this.#sequence.tokenMeter;
    const before = meter.getState();
    const sampled = this.#newRecord();
    const common = {
      maxTokens: options.maxTokens,
      temperature: options.temperature,
      ...(options.topP !== undefined ? { topP: options.topP } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.stop.length > 0 ? { customStopTriggers: options.stop } : {}),
      signal,
      onTextChunk: (chunk: string) => {
        text += chunk;
        onChunk(chunk);
      },
    };
    let response: { response: string; metadata: { stopReason: string } };
    try {
      if (typeof input === 'string') {
        this.#completion ??= new this.#parts.nlc.LlamaCompletion({
          contextSequence: this.#sequence,
        });
        response = await this.#completion.generateCompletionWithMeta(input, {
          ...common,
          disableContextShift: true,
          // The room kept free for the answer: the prompt fits (core checked it) and is never
          // cut to the default tenth of the context.
          contextShiftSize: options.maxTokens,
        });
      } else {
        response = await this.#chatOf().generateResponse(toChatHistory(input), common);
      }
    } catch (error) {
      const { usedOutputTokens } = meter.diff(before);
      if (signal.aborted)
        throw new GenerationAbortedError(text, usedOutputTokens, { cause: error });
      if (NpuFirstError.isInstance(error)) throw error;
      throw new RunFailedError(this.#backendId, messageOf(error), { cause: error });
    }
    const stopReason = STOP_REASONS[response.metadata.stopReason] ?? 'end-of-text';
    text = response.response;
    if (stopReason === 'max-tokens') {
      const held = heldBackText(this.#parts.model, sampled, text);
      if (held) {
        onChunk(held);
        text += held;
      }
    }
    // Every sampled token took one row of logits, which the meter counts as an output token
    // (the prompt's last token gives the first row, each generated token fed back the next):
    // this includes tokens held back, a stop sequence's and the end-of-generation token.
    const generated = meter.diff(before).usedOutputTokens;
    // The last sampled token is never fed back, so the sequence holds the whole prompt (its
    // reused prefix too) plus all but one generated token.
    const promptTokens = Math.max(0, this.#sequence.nextTokenIndex - Math.max(0, generated - 1));
    return {
      text,
      promptTokens,
      generatedTokens: generated,
      stopReason,
      ...(sampled.firstSampledAt !== undefined
        ? { timeToFirstTokenMs: sampled.firstSampledAt - called }
        : {}),
    };
  }

  embed(texts: readonly string[], signal: AbortSignal): Promise<SessionEmbedding> {
    return this.#embedder.embed(texts, signal);
  }

  async release(): Promise<void> {
    await this.#embedder.dispose();
    await this.#parts.context.dispose();
    await this.#parts.model.dispose();
    await this.#parts.cleanup?.();
  }

  #chatOf(): LlamaChat {
    this.#chat ??= new this.#parts.nlc.LlamaChat({ contextSequence: this.#sequence });
    return this.#chat;
  }
}

/**
 * Whether node-llama-cpp's LlamaCompletion starts a raw prompt with a start token (its
 * `resolveBeginningTokenToPrepend`, not exported): never for RWKV and UGM vocabularies,
 * always for WPM, otherwise when the model asks for one.
 */
function startToken(model: LlamaModel): boolean {
  const type = model.vocabularyType as string;
  if (type === 'rwkv' || type === 'ugm') return false;
  if (type === 'wpm') return model.tokens.bos != null;
  return model.tokens.shouldPrependBosToken && model.tokens.bos != null;
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
