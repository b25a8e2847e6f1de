import type { PlacedGraphModel } from '@npu-first/core';
import type { FastifyInstance } from 'fastify';
import { ApiError, toApiError } from '../api-error.js';
import { graphRunSchema } from '../schemas.js';
import type { ServerContext } from '../server-context.js';
import { decodeFeeds, encodeTensor, type JsonTensor } from '../tensor-json.js';
import { whereItRan, whereItRanHeaders } from '../where-it-ran.js';

interface GraphRunBody {
  readonly inputs: Readonly<Record<string, JsonTensor>>;
  readonly outputs?: readonly string[];
  readonly output_encoding?: 'json' | 'base64';
}

/**
 * `POST /v1/graph/{model}/run`: named tensors in, named tensors out. Feeds are checked by core
 * against the model's inputs (`INVALID_INPUT` naming the input and what it expected → 400).
 */
export function graphRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { model: string } }>(
    '/v1/graph/:model/run',
    { schema: { body: graphRunSchema } },
    (request, reply) => {
      const body = request.body as GraphRunBody;
      return ctx.withModel<unknown, PlacedGraphModel>(
        request,
        reply,
        request.params.model,
        'graph',
        async ({ model }) => {
          const feeds = decodeFeeds(body.inputs);
          const outputs = await model
            .run(feeds, body.outputs ? { outputs: [...body.outputs] } : undefined)
            .catch((error: unknown) => {
              throw atFeed(error);
            });
          reply.headers(whereItRanHeaders(model.placement));
          const encoding = body.output_encoding ?? 'json';
          return {
            model: request.params.model,
            outputs: Object.fromEntries(
              Object.entries(outputs).map(([name, t]) => [name, encodeTensor(t, encoding)]),
            ),
            npu_first: whereItRan(model.placement),
          };
        },
      );
    },
  );
}

/** Core names a refused feed by its input name; the client wrote it at `inputs.<name>`. */
function atFeed(error: unknown): unknown {
  const apiError = toApiError(error);
  const param = apiError.param;
  if (apiError.code !== 'invalid_input' || param === null || param.startsWith('inputs.'))
    return error;
  return new ApiError(
    apiError.status,
    apiError.type,
    apiError.message,
    apiError.code,
    `inputs.${param}`,
  );
}
