import type { FastifyReply } from 'fastify';

/**
 * A server-sent-events answer as OpenAI clients read it: `data: <json>` events, then
 * `data: [DONE]`. The reply is taken over from Fastify (`hijack`), so headers go out with the
 * first write and the route's own JSON serialisation is bypassed.
 */
export class SseStream {
  readonly #raw: FastifyReply['raw'];

  constructor(reply: FastifyReply, headers: Readonly<Record<string, string>>) {
    reply.hijack();
    this.#raw = reply.raw;
    this.#raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
  }

  /** False once the client has gone: stop producing. */
  get open(): boolean {
    return !this.#raw.destroyed && !this.#raw.writableEnded;
  }

  send(event: unknown): void {
    if (this.open) this.#raw.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  /** Ends the stream the way OpenAI's does. */
  done(): void {
    if (!this.open) return;
    this.#raw.end('data: [DONE]\n\n');
  }
}
