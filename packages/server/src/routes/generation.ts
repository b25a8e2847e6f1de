import type { GenerationInput, GenerationResult, PlacedTextGenerator } from '@npu-first/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toApiError } from '../api-error.js';
import {
  type ChatBody,
  type CompletionBody,
  chatInput,
  finishReason,
  generateOptions,
  responseId,
  type SamplingBody,
  unixNow,
  usage,
} from '../generation-body.js';
import { chatSchema, completionSchema } from '../schemas.js';
import type { ModelScope, ServerContext } from '../server-context.js';
import { SseStream } from '../sse.js';
import { whereItRan, whereItRanHeaders } from '../where-it-ran.js';

type Kind = 'chat' | 'completion';

/** `POST /v1/chat/completions` and `POST /v1/completions`, streamed (SSE) or not. */
export function generationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/v1/chat/completions', { schema: { body: chatSchema } }, (request, reply) => {
    const body = request.body as ChatBody;
    return answer(ctx, request, reply, 'chat', body, chatInput(body.messages));
  });
  app.post('/v1/completions', { schema: { body: completionSchema } }, (request, reply) => {
    const body = request.body as CompletionBody;
    const prompt = typeof body.prompt === 'string' ? body.prompt : (body.prompt[0] as string);
    return answer(ctx, request, reply, 'completion', body, prompt);
  });
}

function answer(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  kind: Kind,
  body: SamplingBody,
  input: GenerationInput,
): Promise<unknown> {
  return ctx.withModel<unknown, PlacedTextGenerator>(
    request,
    reply,
    body.model,
    'text-generation',
    async (scope) => {
      if (body.stream) return stream(ctx, request, reply, kind, body, input, scope);
      const result = await scope.model.generate(input, generateOptions(body, scope.signal));
      noteTokens(request, result);
      // The model may have failed over during the call: say where it ran, now.
      reply.headers(whereItRanHeaders(scope.model.placement));
      const id = responseId(kind === 'chat' ? 'chatcmpl' : 'cmpl');
      return {
        id,
        object: kind === 'chat' ? 'chat.completion' : 'text_completion',
        created: unixNow(),
        model: body.model,
        choices: [
          kind === 'chat'
            ? {
                index: 0,
                message: { role: 'assistant', content: result.text },
                finish_reason: finishReason(result.stats),
                logprobs: null,
              }
            : {
                index: 0,
                text: result.text,
                finish_reason: finishReason(result.stats),
                logprobs: null,
              },
        ],
        usage: usage(result),
        npu_first: whereItRan(scope.model.placement),
      };
    },
  );
}

/**
 * The streamed answer: a first chunk (the role, for chat), one chunk per piece of text, a last
 * chunk with the finish reason, usage and where it ran, then `[DONE]`. An error after the
 * headers went out is an `error` event before `[DONE]`, never a silent truncation.
 */
async function stream(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  kind: Kind,
  body: SamplingBody,
  input: GenerationInput,
  { model, signal }: ModelScope<PlacedTextGenerator>,
): Promise<void> {
  const started = performance.now();
  const generation = model.stream(input, generateOptions(body, signal));
  generation.result.catch(() => {}); // read below; an early failure must not go unhandled
  const pieces = generation[Symbol.asyncIterator]();
  // The first piece before any header: a request core refuses (max_tokens beyond the context,
  // a last message not from the user) is then a plain 4xx answer, not a 200 with an error event.
  let next = await pieces.next();
  const sse = new SseStream(reply, whereItRanHeaders(model.placement));
  const id = responseId(kind === 'chat' ? 'chatcmpl' : 'cmpl');
  const created = unixNow();
  const chunk = (choice: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    id,
    object: kind === 'chat' ? 'chat.completion.chunk' : 'text_completion',
    created,
    model: body.model,
    choices: [{ index: 0, ...choice }],
    ...extra,
  });
  const piece = (text: string) =>
    kind === 'chat'
      ? chunk({ delta: { content: text }, finish_reason: null, logprobs: null })
      : chunk({ text, finish_reason: null, logprobs: null });
  let status = 200;
  try {
    if (kind === 'chat')
      sse.send(
        chunk({ delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null }),
      );
    for (; !next.done; next = await pieces.next())
      if (next.value !== '') sse.send(piece(next.value));
    const result = await generation.result;
    noteTokens(request, result);
    const last =
      kind === 'chat'
        ? { delta: {}, finish_reason: finishReason(result.stats), logprobs: null }
        : { text: '', finish_reason: finishReason(result.stats), logprobs: null };
    sse.send(chunk(last, { usage: usage(result), npu_first: whereItRan(model.placement) }));
  } catch (error) {
    const apiError = toApiError(error);
    status = signal.aborted ? 499 : apiError.status;
    request.npuFirst.code = apiError.code ?? undefined;
    sse.send(apiError.body());
  } finally {
    sse.done();
    // A hijacked reply skips Fastify's response hooks: record it here.
    ctx.record(request, status, performance.now() - started);
  }
}

function noteTokens(request: FastifyRequest, result: GenerationResult): void {
  request.npuFirst.promptTokens = result.stats.promptTokens;
  request.npuFirst.completionTokens = result.stats.generatedTokens;
}
