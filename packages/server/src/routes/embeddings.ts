import type { PlacedTextGenerator } from '@npu-first/core';
import type { FastifyInstance } from 'fastify';
import { embeddingSchema } from '../schemas.js';
import type { ServerContext } from '../server-context.js';
import { whereItRan, whereItRanHeaders } from '../where-it-ran.js';

interface EmbeddingBody {
  readonly model: string;
  readonly input: string | readonly string[];
  readonly encoding_format?: 'float' | 'base64';
}

/**
 * `POST /v1/embeddings` for GGUF models, with node-llama-cpp's embedding context. `base64` is
 * the raw little-endian float32 bytes, which the official `openai` client asks for by default.
 */
export function embeddingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/v1/embeddings', { schema: { body: embeddingSchema } }, (request, reply) => {
    const body = request.body as EmbeddingBody;
    return ctx.withModel<unknown, PlacedTextGenerator>(
      request,
      reply,
      body.model,
      'text-generation',
      async ({ model, signal }) => {
        const result = await model.embed(body.input, { signal });
        request.npuFirst.promptTokens = result.promptTokens;
        reply.headers(whereItRanHeaders(model.placement));
        return {
          object: 'list',
          data: result.vectors.map((v, index) => ({
            object: 'embedding',
            index,
            embedding:
              body.encoding_format === 'base64'
                ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')
                : Array.from(v),
          })),
          model: body.model,
          usage: { prompt_tokens: result.promptTokens, total_tokens: result.promptTokens },
          npu_first: whereItRan(model.placement),
        };
      },
    );
  });
}
