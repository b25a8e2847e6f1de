import type { FastifyInstance } from 'fastify';
import type { ModelSlot } from '../model-slot.js';
import type { ServerContext } from '../server-context.js';
import { whereItRan } from '../where-it-ran.js';

/** `GET /v1/models[/{model}]`, `GET /v1/devices`, `GET /healthz`, `GET /metrics`. */
export function infoRoutes(app: FastifyInstance, ctx: ServerContext, started: number): void {
  const describe = (slot: ModelSlot) => {
    const loaded = slot.loaded;
    return {
      id: slot.name,
      object: 'model',
      created: started,
      owned_by: 'npu-first',
      npu_first: {
        format: slot.descriptor.format,
        task: slot.task,
        size_bytes: slot.descriptor.sizeBytes,
        loaded: loaded !== undefined,
        ...(loaded ? { placement: whereItRan(loaded.placement) } : {}),
      },
    };
  };
  app.get('/v1/models', async () => ({
    object: 'list',
    data: [...ctx.slots.values()].map(describe),
  }));
  app.get<{ Params: { model: string } }>('/v1/models/:model', async (request) =>
    describe(ctx.slot(request.params.model)),
  );
  // What `npu-first devices --json` shows: every backend, whether it can run here, and why not.
  app.get('/v1/devices', async () => ({
    backends: await ctx.options.runtime.backends(),
    discoveryMs: ctx.options.runtime.discoveryMs,
  }));
  app.get('/healthz', async (_request, reply) => {
    if (ctx.draining) reply.code(503);
    return {
      status: ctx.draining ? 'draining' : 'ok',
      models: Object.fromEntries(
        [...ctx.slots.values()].map((s) => [s.name, s.loaded ? 'loaded' : 'unloaded']),
      ),
    };
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
