import Fastify, { type FastifyInstance } from 'fastify';
import { answerClientError } from './client-error.js';
import type { ServeOptions } from './options.js';
import { npuFirstRoutes } from './routes-plugin.js';

export interface ListenOptions {
  /** Default `127.0.0.1`: reachable from this machine only. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
}

export interface NpuFirstServer {
  /** The Fastify app, to add routes or hooks before `listen()`. */
  readonly app: FastifyInstance;
  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:8080`. */
  listen(options?: ListenOptions): Promise<string>;
  /**
   * Stops taking requests (503 `shutting_down`), lets those in flight finish within
   * `drainTimeoutMs`, stops the rest, unloads the models and closes.
   */
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible server for the given models, ready to listen. Models are checked
 * (their headers read) before this resolves, and loaded too with `preload`.
 */
export async function createServer(options: ServeOptions): Promise<NpuFirstServer> {
  const app = Fastify({
    // The bound is per route (the plugin's `bodyLimitBytes`); this only covers Fastify's own.
    bodyLimit: options.bodyLimitBytes,
    // Our preClose hook answers 503 in OpenAI's shape while draining.
    return503OnClosing: false,
    clientErrorHandler: answerClientError,
    // With `preload` the plugin loads every model while it registers: a big model (or a busy
    // machine) takes longer than Fastify's 10 s default, and the start failed. The runtime's
    // own load timeout bounds each load.
    pluginTimeout: 0,
  });
  await app.register(npuFirstRoutes, options);
  await app.ready();
  return {
    app,
    listen: ({ host = '127.0.0.1', port = 8080 } = {}) => app.listen({ host, port }),
    close: () => app.close(),
  };
}
