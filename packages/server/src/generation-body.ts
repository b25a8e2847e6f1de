import type {
  ChatMessage,
  GenerateOptions,
  GenerationResult,
  GenerationStats,
} from '@npu-first/core';

/** Sampling fields common to chat and completions requests. */
export interface SamplingBody {
  readonly model: string;
  readonly max_tokens?: number | null;
  readonly max_completion_tokens?: number | null;
  readonly temperature?: number | null;
  readonly top_p?: number | null;
  readonly seed?: number | null;
  readonly stop?: string | readonly string[] | null;
  readonly stream?: boolean | null;
}

export interface ChatBody extends SamplingBody {
  readonly messages: readonly {
    readonly role: 'system' | 'developer' | 'user' | 'assistant';
    readonly content: string | readonly { readonly type: 'text'; readonly text: string }[];
  }[];
}

export interface CompletionBody extends SamplingBody {
  readonly prompt: string | readonly string[];
}

/** The request's sampling fields as core's options (`null` means "the default", as in OpenAI). */
export function generateOptions(body: SamplingBody, signal: AbortSignal): GenerateOptions {
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  const stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  return {
    signal,
    ...(maxTokens != null ? { maxTokens } : {}),
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
    ...(body.top_p != null ? { topP: body.top_p } : {}),
    ...(body.seed != null ? { seed: body.seed } : {}),
    ...(stop ? { stop } : {}),
  };
}

/** OpenAI's chat messages as core's: `developer` is a system turn, text parts are joined. */
export function chatInput(messages: ChatBody['messages']): ChatMessage[] {
  return messages.map((m) => ({
    role: m.role === 'developer' ? 'system' : m.role,
    content: typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join(''),
  }));
}

export const finishReason = (stats: GenerationStats) =>
  stats.stopReason === 'max-tokens' ? 'length' : 'stop';

export function usage(result: GenerationResult) {
  const { promptTokens, generatedTokens } = result.stats;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: generatedTokens,
    total_tokens: promptTokens + generatedTokens,
  };
}

/** Ids in OpenAI's style: `chatcmpl-…`, `cmpl-…`. */
export const responseId = (prefix: string) => `${prefix}-${crypto.randomUUID().replace(/-/g, '')}`;
export const unixNow = () => Math.floor(Date.now() / 1000);
