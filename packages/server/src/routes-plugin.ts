import { messageOf } from '@npu-first/core';
import { Ajv } from 'ajv';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { ApiError, toApiError } from './api-error.js';
import { checkBearer } from './auth.js';
import { ServerMetrics } from './metrics.js';
import { ModelSlot, type SlotEvents } from './model-slot.js';
import { resolveServeOptions, type ServeOptions } from './options.js';
import { embeddingRoutes } from './routes/embeddings.js';
import { generationRoutes } from './routes/generation.js';
import { graphRoutes } from './routes/graph.js';
import { infoRoutes } from './routes/info.js';
import { ServerContext } from './server-context.js';
import { type SchemaError, validationError } from './validation-error.js';

/** Fastify's own request errors, in OpenAI's words. */
const FASTIFY_ERRORS: Readonly<Record<string, { code: string; message?: string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'request_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    message: 'Send the body as JSON with "Content-Type: application/json"',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', message: 'The JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json' },
};

/**
 * The server's routes as a Fastify plugin, so an application can mount them in its own
 * Fastify app (`app.register(npuFirstRoutes, options)`, with a `prefix` if it likes). The
 * plugin brings its own validator (no type coercion, no silently removed fields), error and
 * not-found handlers in OpenAI's shape, the API key check, metrics and the drain on close.
 * With `preload` it registers only once every model has loaded: give the app a `pluginTimeout`
 * that allows for that (0 for none; `createServer` does).
 */
export const npuFirstRoutes: FastifyPluginAsync<ServeOptions> = async (app, registered) => {
  // Fastify hands its own register options (`prefix`…) to the plugin too.
  const {
    prefix: _p,
    logLevel: _l,
    logSerializers: _s,
    ...serveOptions
  } = registered as ServeOptions & Record<'prefix' | 'logLevel' | 'logSerializers', unknown>;
  const options = resolveServeOptions(serveOptions);
  const metrics = new ServerMetrics();
  const slots = new Map<string, ModelSlot>();
  const events: SlotEvents = {
    // A big model takes a while: say it started, so a quiet terminal is not mistaken for a hang.
    loading: (name, sizeBytes) =>
      options.log(`loading ${name} (${(sizeBytes / 2 ** 20).toFixed(1)} MiB)…`),
    loaded: (name, model, ms) => {
      metrics.load(name, model.placement.backend);
      options.log(
        `loaded ${name} on ${model.placement.backend} (${model.placement.device}) in ${Math.round(ms)} ms`,
      );
    },
    unloaded: (name, why) => {
      metrics.loaded.set({ model: name }, 0);
      options.log(`unloaded ${name} (${why})`);
    },
    failover: (name, move) => {
      metrics.failover(name, move.from, move.to);
      options.log(`${name}: failover ${move.from} → ${move.to ?? 'none'}: ${move.reason}`);
    },
  };
  for (const served of options.models) {
    const slot = await ModelSlot.open(served, options.runtime, options, events);
    slots.set(slot.name, slot);
  }
  const ctx = new ServerContext(options, slots, metrics);
  if (options.preload) {
    try {
      for (const slot of slots.values()) await slot.load();
    } catch (error) {
      // The server will not start: free the models already loaded before saying why.
      await Promise.all([...slots.values()].map((s) => s.unload('close')));
      throw error;
    }
  }

  const ajv = new Ajv({
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: false,
    allErrors: false,
    allowUnionTypes: true,
  });
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
  // Fastify parses text/plain by default; a string body would then fail as "must be object".
  app.removeContentTypeParser('text/plain');
  const routes: { readonly pattern: RegExp; readonly methods: readonly string[] }[] = [];
  app.addHook('onRoute', (route) => {
    route.bodyLimit ??= options.bodyLimitBytes;
    routes.push({
      pattern: new RegExp(`^${escapeRegExp(route.url).replace(/:[^/]+/g, '[^/]+')}$`),
      methods: [route.method].flat(),
    });
  });
  // By route, not by URL: a URL that merely ends in /healthz (`/v1/models?/healthz`,
  // `/v1/models/healthz`) must not skip the key.
  const healthz = `${app.prefix}/healthz`;
  app.decorateRequest('npuFirst', null as never);
  app.addHook('onRequest', async (request, reply) => {
    request.npuFirst = {};
    if (ctx.draining) {
      reply.header('connection', 'close');
      throw new ApiError(
        503,
        'service_unavailable',
        'The server is shutting down',
        'shutting_down',
      );
    }
    if (options.apiKey !== undefined && request.routeOptions.url !== healthz)
      checkBearer(request.headers.authorization, options.apiKey);
  });
  app.addHook('onResponse', async (request, reply) => {
    ctx.record(request, reply.statusCode, reply.elapsedTime);
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = asApiError(error);
    // The client gets a message without internals; the log gets what happened.
    if (apiError.status >= 500)
      options.log(`${request.method} ${request.url}: ${messageOf(error)}`);
    if (request.npuFirst) request.npuFirst.code = apiError.code ?? undefined;
    return reply.code(apiError.status).headers(apiError.headers).send(apiError.body());
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // A route that exists under another method is a 405 with the methods it takes (RFC 9110).
    const allow = [
      ...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods)),
    ];
    const error =
      allow.length > 0
        ? new ApiError(
            405,
            'invalid_request_error',
            `${path} does not take ${request.method}; it takes ${allow.join(', ')}`,
            'method_not_allowed',
            null,
            { allow: allow.join(', ') },
          )
        : new ApiError(
            404,
            'not_found_error',
            `No route ${request.method} ${path}`,
            'unknown_route',
          );
    return reply.code(error.status).headers(error.headers).send(error.body());
  });
  app.addHook('preClose', async () => {
    ctx.draining = true;
    const stopped = await ctx.drain(options.drainTimeoutMs);
    if (stopped > 0)
      options.log(`stopped ${stopped} requests still running after ${options.drainTimeoutMs} ms`);
  });
  app.addHook('onClose', async () => {
    await Promise.all([...slots.values()].map((s) => s.unload('close')));
  });

  const started = Math.floor(Date.now() / 1000);
  infoRoutes(app, ctx, started);
  generationRoutes(app, ctx);
  embeddingRoutes(app, ctx);
  graphRoutes(app, ctx);
};

function asApiError(error: FastifyError): ApiError {
  if (error.validation) return validationError(error.validation as readonly SchemaError[]);
  // The client hung up while sending its body: not a server failure (nobody reads the answer).
  if (error.code === 'ECONNRESET')
    return new ApiError(
      499,
      'invalid_request_error',
      'The client closed the connection before the request was complete',
      'client_closed_request',
    );
  const known = error.code ? FASTIFY_ERRORS[error.code] : undefined;
  if (known && error.statusCode)
    return new ApiError(
      error.statusCode,
      'invalid_request_error',
      known.message ?? error.message,
      known.code,
    );
  return toApiError(error);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
