import type { PlacedModel } from '@npu-first/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, modelNotFound } from './api-error.js';
import type { ServerMetrics } from './metrics.js';
import type { ModelSlot } from './model-slot.js';
import type { ResolvedServeOptions } from './options.js';

/** What the metrics hook reads about a request once it is answered. */
export interface RequestNotes {
  model?: string;
  /** The model that answered: its placement names the backend, after any failover during the call. */
  served?: PlacedModel;
  code?: string;
  promptTokens?: number;
  completionTokens?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    npuFirst: RequestNotes;
  }
}

/** A request's hold on its model, and the signal that fires when its client goes away. */
export interface ModelScope<M extends PlacedModel = PlacedModel> {
  readonly model: M;
  readonly signal: AbortSignal;
}

/** State shared by the routes of one server. */
export class ServerContext {
  draining = false;
  /** Requests holding a model, with how to stop them when a drain runs out of time. */
  readonly active = new Set<AbortController>();
  #idle: (() => void) | undefined;

  constructor(
    readonly options: ResolvedServeOptions,
    readonly slots: ReadonlyMap<string, ModelSlot>,
    readonly metrics: ServerMetrics,
  ) {}

  slot(name: unknown): ModelSlot {
    const slot = typeof name === 'string' ? this.slots.get(name) : undefined;
    if (!slot) throw modelNotFound(String(name), [...this.slots.keys()]);
    return slot;
  }

  /**
   * Runs `fn` with the model loaded and a place in its queue. The signal aborts when the
   * client disconnects before the answer is complete — a generation then stops and frees the
   * engine for the next request. For a stream, `fn` resolves when the stream has ended.
   */
  async withModel<T, M extends PlacedModel>(
    request: FastifyRequest,
    reply: FastifyReply,
    name: unknown,
    task: M['task'],
    fn: (scope: ModelScope<M>) => Promise<T>,
  ): Promise<T> {
    const slot = this.slot(name);
    request.npuFirst.model = slot.name;
    if (slot.task !== task) throw wrongTask(slot.name, slot.task);
    const controller = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) controller.abort(new Error('the client disconnected'));
    };
    reply.raw.on('close', onClose);
    this.active.add(controller);
    const lease = await slot.acquire().catch((error: unknown) => {
      this.#done(controller);
      reply.raw.off('close', onClose);
      throw error;
    });
    this.metrics.queued.set({ model: slot.name }, slot.admitted);
    request.npuFirst.served = lease.model;
    try {
      return await fn({ model: lease.model as M, signal: controller.signal });
    } finally {
      lease.release();
      this.metrics.queued.set({ model: slot.name }, slot.admitted);
      reply.raw.off('close', onClose);
      this.#done(controller);
    }
  }

  /** Adds an answered request to the metrics (the response hook; streams call it themselves). */
  record(request: FastifyRequest, status: number, ms: number): void {
    const notes = request.npuFirst;
    this.metrics.request({
      route: request.routeOptions.url ?? 'unknown',
      model: notes.model ?? 'none',
      backend: notes.served?.placement.backend ?? 'none',
      status,
      ...(notes.code ? { code: notes.code } : {}),
      seconds: ms / 1000,
      ...(notes.promptTokens !== undefined ? { promptTokens: notes.promptTokens } : {}),
      ...(notes.completionTokens !== undefined ? { completionTokens: notes.completionTokens } : {}),
    });
  }

  #done(controller: AbortController): void {
    this.active.delete(controller);
    if (this.active.size === 0) this.#idle?.();
  }

  /** Resolves once no request holds a model, or after `ms` (then stops those that still do). */
  async drain(ms: number): Promise<number> {
    if (this.active.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#idle = resolve;
        timer = setTimeout(resolve, ms);
      });
      clearTimeout(timer);
    }
    const stopped = this.active.size;
    for (const c of this.active) c.abort(new Error('the server is shutting down'));
    return stopped;
  }
}

function wrongTask(name: string, task: ModelSlot['task']): ApiError {
  const use =
    task === 'graph'
      ? `it is an ONNX graph: POST /v1/graph/${name}/run`
      : 'it is a language model: POST /v1/chat/completions, /v1/completions or /v1/embeddings';
  return new ApiError(
    400,
    'invalid_request_error',
    `Model '${name}' cannot serve this route; ${use}`,
    'wrong_model_task',
    'model',
  );
}
