#!/usr/bin/env node
/**
 * `node packages/bench/dist/http-frameworks.js [--quick]`: Fastify 5 against Hono (on
 * @hono/node-server) for the `npu-first serve` HTTP server, measured in one run, ratios side
 * by side. Each server runs in its own child process (this script forked with `--serve
 * node|fastify|hono`), so the load client (an undici Pool, 32 connections) never shares the
 * server's event loop. Workloads: (1) an OpenAI chat-completions-like JSON POST with schema
 * validation (Fastify's route JSON schema / Hono's @hono/zod-validator); (2) SSE, 32
 * `data: {...}` events then `data: [DONE]` (Fastify: reply.hijack() + reply.raw; Hono:
 * streamSSE); (3) overhead, a trivial GET against both and a bare node:http server. Rounds
 * alternate the order so drift hits all alike. Also checked and printed: invalid bodies (status,
 * field named), a 2 MB body (body limits), and whether a client disconnecting mid-SSE is seen
 * by the handler within 1 s. The frameworks are devDependencies of @npu-first/bench, loaded by
 * dynamic import, so nothing published depends on them. Results: docs/http-framework-choice.md.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep, setImmediate as tick } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { FastifyError } from 'fastify';
import type { Pool } from 'undici';
import { quantile } from './runner/stats.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    serve: { type: 'string' },
  },
});
// Many short rounds, order rotated: load from other processes comes and goes in seconds, and
// this spreads it over every side alike. Full: 10 × 2 s = 20 s per side and workload.
const DURATION_MS = values.quick ? 1000 : 2000;
const WARMUP_MS = values.quick ? 300 : 1500;
const ROUNDS = values.quick ? 3 : 10;
const CONNECTIONS = 32;
const SSE_EVENTS = 32;
const BODY_LIMIT = 1024 * 1024; // Fastify's default bodyLimit; Hono gets the same via bodyLimit()

type Framework = 'node' | 'fastify' | 'hono';
/** A table row: a server and the route prefix on it ('hono-nolimit': the routes without bodyLimit()). */
type Side = Framework | 'hono-nolimit';
const LABEL: Record<Side, string> = {
  node: 'node:http',
  fastify: 'Fastify',
  hono: 'Hono',
  'hono-nolimit': 'Hono, no bodyLimit',
};
const SERVER: Record<Side, Framework> = {
  node: 'node',
  fastify: 'fastify',
  hono: 'hono',
  'hono-nolimit': 'hono',
};
const PREFIX: Record<Side, string> = {
  node: '',
  fastify: '',
  hono: '',
  'hono-nolimit': '/nolimit',
};

// ---------------------------------------------------------------------------------------------
// Shared between the servers: the request schema, the answers, the SSE events.

const ROLES = ['system', 'user', 'assistant', 'tool', 'developer'] as const;
/** Fastify's route schema (ajv). Extra top-level fields are allowed (OpenAI has many). */
const chatJsonSchema = {
  type: 'object',
  required: ['model', 'messages'],
  properties: {
    model: { type: 'string' },
    messages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['role', 'content'],
        additionalProperties: false,
        properties: { role: { type: 'string', enum: ROLES }, content: { type: 'string' } },
      },
    },
    max_tokens: { type: 'integer', minimum: 1 },
    stream: { type: 'boolean' },
  },
} as const;

interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  max_tokens?: number | undefined;
  stream?: boolean | undefined;
}
const completion = (body: ChatBody) => ({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 0,
  model: body.model,
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: `${body.messages.length} messages` },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
});
const chunk = (i: number) =>
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'bench',
    choices: [{ index: 0, delta: { content: `tok${i} ` }, finish_reason: null }],
  });
const invalid = (message: string, param: string) => ({
  error: { message, type: 'invalid_request_error', param },
});
const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};
/** The slow stream of the disconnect check: one event every 20 ms, 10 s at most. */
const SLOW_EVENTS = 500;
const SLOW_GAP_MS = 20;

// ---------------------------------------------------------------------------------------------
// The servers (child processes).

type Report = (message: Record<string, unknown>) => void;

async function startNode(): Promise<number> {
  const body = JSON.stringify({ status: 'ok' });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    } else {
      res.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function startFastify(report: Report): Promise<number> {
  const { fastify } = await import('fastify');
  // Fastify's default ajv options strip unknown properties (removeAdditional) and coerce types;
  // an API that answers 400 for them needs both off.
  const app = fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: false } } });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const first = error.validation?.[0];
    if (first) {
      const params = first.params as { additionalProperty?: string; missingProperty?: string };
      const path = first.instancePath.slice(1).replaceAll('/', '.');
      const named = params.additionalProperty ?? params.missingProperty;
      const param = named ? (path ? `${path}.${named}` : named) : path;
      return reply.status(400).send(invalid(error.message, param));
    }
    return reply
      .status(error.statusCode ?? 500)
      .send({ error: { message: error.message, type: 'invalid_request_error', param: null } });
  });
  app.get('/health', async () => ({ status: 'ok' }));
  app.post('/v1/chat/completions', { schema: { body: chatJsonSchema } }, async (request) =>
    completion(request.body as ChatBody),
  );
  app.get('/v1/sse', async (_request, reply) => {
    reply.hijack();
    const res = reply.raw;
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    res.writeHead(200, SSE_HEADERS);
    for (let i = 0; i < SSE_EVENTS && !closed; i++) {
      await tick(); // a token arrives on its own turn of the event loop
      if (!res.write(`data: ${chunk(i)}\n\n`))
        await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
    if (!closed) res.end('data: [DONE]\n\n');
  });
  app.get('/v1/sse-slow', async (request, reply) => {
    const id = (request.query as { id?: string }).id ?? '';
    reply.hijack();
    const res = reply.raw;
    let aborted = false;
    request.signal.addEventListener('abort', () =>
      report({ type: 'abort-seen', id, via: 'request.signal' }),
    );
    res.on('close', () => {
      if (res.writableEnded) return;
      aborted = true;
      report({ type: 'abort-seen', id, via: "reply.raw 'close'" });
    });
    res.writeHead(200, SSE_HEADERS);
    for (let i = 0; i < SLOW_EVENTS && !aborted; i++) {
      res.write(`data: ${chunk(i)}\n\n`);
      await sleep(SLOW_GAP_MS);
    }
    report({ type: 'abort-seen', id, via: 'handler loop stopped' });
    if (!aborted) res.end('data: [DONE]\n\n');
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

async function startHono(report: Report): Promise<number> {
  const [{ Hono }, { streamSSE }, { bodyLimit }, { zValidator }, { z }, { serve }] =
    await Promise.all([
      import('hono'),
      import('hono/streaming'),
      import('hono/body-limit'),
      import('@hono/zod-validator'),
      import('zod'),
      import('@hono/node-server'),
    ]);
  const ChatSchema = z.object({
    model: z.string(),
    messages: z.array(z.strictObject({ role: z.enum(ROLES), content: z.string() })).min(1),
    max_tokens: z.number().int().min(1).optional(),
    stream: z.boolean().optional(),
  });
  const validate = zValidator('json', ChatSchema, (result, c) => {
    if (result.success) return;
    const issue = result.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    const keys = issue?.code === 'unrecognized_keys' ? issue.keys.join(',') : '';
    const param = keys ? (path ? `${path}.${keys}` : keys) : path;
    return c.json(invalid(issue?.message ?? 'invalid body', param), 400);
  });
  const app = new Hono();
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.post('/v1/chat/completions', bodyLimit({ maxSize: BODY_LIMIT }), validate, (c) =>
    c.json(completion(c.req.valid('json'))),
  );
  // The same route without bodyLimit(): what it costs (reading c.req.raw.body/headers makes
  // @hono/node-server build a full Request) and what Hono does by default with a 2 MB body.
  app.post('/nolimit/v1/chat/completions', validate, (c) =>
    c.json(completion(c.req.valid('json'))),
  );
  app.get('/v1/sse', (c) =>
    streamSSE(c, async (stream) => {
      for (let i = 0; i < SSE_EVENTS && !stream.aborted; i++) {
        await tick(); // a token arrives on its own turn of the event loop
        await stream.writeSSE({ data: chunk(i) });
      }
      if (!stream.aborted) await stream.writeSSE({ data: '[DONE]' });
    }),
  );
  app.get('/v1/sse-slow', (c) => {
    const id = c.req.query('id') ?? '';
    c.req.raw.signal.addEventListener('abort', () =>
      report({ type: 'abort-seen', id, via: 'c.req.raw.signal' }),
    );
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => report({ type: 'abort-seen', id, via: 'stream.onAbort' }));
      for (let i = 0; i < SLOW_EVENTS && !stream.aborted; i++) {
        await stream.writeSSE({ data: chunk(i) });
        await stream.sleep(SLOW_GAP_MS);
      }
      report({ type: 'abort-seen', id, via: 'handler loop stopped' });
      if (!stream.aborted) await stream.writeSSE({ data: '[DONE]' });
    });
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function runServer(framework: string): Promise<void> {
  const report: Report = (message) => process.send?.(message);
  const start = { node: startNode, fastify: startFastify, hono: startHono }[framework as Framework];
  if (!start) throw new Error(`--serve ${framework}: expected node, fastify or hono`);
  const port = await start(report);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'cpu') report({ type: 'cpu', ...process.cpuUsage() });
    if (message.type === 'exit') process.exit(0);
  });
  process.on('disconnect', () => process.exit(0));
  report({ type: 'ready', port });
}

// ---------------------------------------------------------------------------------------------
// The client (parent process).

interface Child {
  framework: Framework;
  process: ChildProcess;
  base: string;
  pool: Pool;
  aborts: Map<string, { via: string; at: number }[]>;
}

async function startChild(framework: Framework, PoolClass: typeof Pool): Promise<Child> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', framework], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const aborts = new Map<string, { via: string; at: number }[]>();
  child.on('message', (m: { type: string; id?: string; via?: string }) => {
    if (m.type !== 'abort-seen' || m.id === undefined) return;
    const list = aborts.get(m.id) ?? [];
    list.push({ via: m.via ?? '?', at: performance.now() });
    aborts.set(m.id, list);
  });
  const ready = await new Promise<{ port: number }>((resolve, reject) => {
    const onMessage = (m: { type: string; port?: number }) => {
      if (m.type === 'ready' && m.port) {
        child.off('message', onMessage);
        resolve({ port: m.port });
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${framework} server exited (${code})`)));
  });
  const base = `http://127.0.0.1:${ready.port}`;
  const pool = new PoolClass(base, { connections: CONNECTIONS, pipelining: 1 });
  return { framework, process: child, base, pool, aborts };
}

async function serverCpu(child: Child): Promise<{ user: number; system: number }> {
  const answer = new Promise<{ user: number; system: number }>((resolve) => {
    const onMessage = (m: { type: string; user?: number; system?: number }) => {
      if (m.type !== 'cpu') return;
      child.process.off('message', onMessage);
      resolve({ user: m.user ?? 0, system: m.system ?? 0 });
    };
    child.process.on('message', onMessage);
  });
  child.process.send({ type: 'cpu' });
  return answer;
}

type Workload = 'overhead' | 'validation' | 'sse';
interface RunResult {
  /** Requests (SSE: streams) completed. */
  count: number;
  /** SSE data events delivered (not counting [DONE]). */
  events: number;
  failures: number;
  /** Per request latency (SSE: time to the first event), ms. */
  latencies: number[];
  elapsedMs: number;
  /** Server process CPU time, user + system, and user alone, µs. */
  serverCpuUs: number;
  serverUserUs: number;
  /** The client's (this process's) CPU time, µs: shows when the client is the limit. */
  clientCpuUs: number;
}

const chatBody = JSON.stringify({
  model: 'bench',
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Say hello in five words.' },
  ],
  max_tokens: 16,
  stream: false,
});

/** One stream: counts the events and checks the last one is [DONE]. Returns ms to the first. */
async function readSse(child: Child): Promise<{ first: number; events: number; done: boolean }> {
  const t0 = performance.now();
  const { statusCode, body } = await child.pool.request({ method: 'GET', path: '/v1/sse' });
  let buffered = '';
  let events = 0;
  let first = Number.NaN;
  let done = false;
  body.setEncoding('utf8');
  for await (const piece of body as AsyncIterable<string>) {
    buffered += piece;
    let end = buffered.indexOf('\n\n');
    while (end >= 0) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      if (Number.isNaN(first)) first = performance.now() - t0;
      if (event === 'data: [DONE]') done = true;
      else if (event.startsWith('data: {')) events++;
      end = buffered.indexOf('\n\n');
    }
  }
  return { first, events, done: done && statusCode === 200 && buffered === '' };
}

async function drive(
  child: Child,
  workload: Workload,
  durationMs: number,
  prefix = '',
): Promise<RunResult> {
  const result: RunResult = {
    count: 0,
    events: 0,
    failures: 0,
    latencies: [],
    elapsedMs: 0,
    serverCpuUs: 0,
    serverUserUs: 0,
    clientCpuUs: 0,
  };
  const cpu0 = await serverCpu(child);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const start = performance.now();
      if (workload === 'sse') {
        const stream = await readSse(child);
        result.latencies.push(stream.first);
        result.events += stream.events;
        if (!stream.done || stream.events !== SSE_EVENTS) result.failures++;
      } else {
        const { statusCode, body } = await child.pool.request(
          workload === 'overhead'
            ? { method: 'GET', path: '/health' }
            : {
                method: 'POST',
                path: `${prefix}/v1/chat/completions`,
                headers: { 'content-type': 'application/json' },
                body: chatBody,
              },
        );
        const text = await body.text();
        result.latencies.push(performance.now() - start);
        const ok =
          workload === 'overhead' ? text === '{"status":"ok"}' : text.includes('"2 messages"');
        if (statusCode !== 200 || !ok) result.failures++;
      }
      result.count++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  result.elapsedMs = performance.now() - t0;
  const cpu1 = await serverCpu(child);
  result.serverCpuUs = cpu1.user + cpu1.system - cpu0.user - cpu0.system;
  result.serverUserUs = cpu1.user - cpu0.user;
  const client = process.cpuUsage(client0);
  result.clientCpuUs = client.user + client.system;
  return result;
}

// Behaviour facts --------------------------------------------------------------------------------

const INVALID_CASES: [string, string][] = [
  [
    'role not in the enum',
    JSON.stringify({ model: 'm', messages: [{ role: 'robot', content: 'hi' }] }),
  ],
  [
    'max_tokens: 0',
    JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 0 }),
  ],
  [
    'extra property on a message',
    JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi', name2: 'x' }] }),
  ],
  ['model missing', JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] })],
  [
    'max_tokens: "5" (a string)',
    JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: '5' }),
  ],
  ['malformed JSON', '{"model": "m", "messages": ['],
];

async function post(url: string, body: string): Promise<string> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    let detail = '';
    try {
      const json = JSON.parse(text) as { error?: { param?: unknown; message?: string } };
      if (json.error) detail = ` param=${json.error.param} "${json.error.message}"`;
    } catch {
      detail = ` "${text.slice(0, 60)}"`;
    }
    return `${response.status}${detail}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return `no answer (${cause?.code ?? (error as Error).message})`;
  }
}

/**
 * A POST through node:http that reads the answer even when the server refuses the upload: the
 * first 64 KiB, then a pause for an early answer (a limit checked on content-length), then the
 * rest. Sent in one go, a server that answers 413 and closes at once can leave the client with
 * EPIPE/ECONNRESET instead of the 413 (fetch does, at times, with either framework).
 */
async function postRaw(url: string, body: string): Promise<string> {
  const bytes = Buffer.from(body);
  let answer: string | undefined;
  let failure: string | undefined;
  const req = request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': bytes.length },
  });
  const answered = new Promise<void>((resolve) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (piece: string) => {
        text += piece;
      });
      const done = () => {
        answer =
          `${res.statusCode} "${text.slice(0, 40)}"` +
          (res.headers.connection === 'close' ? ' (connection: close)' : '');
        resolve();
      };
      res.on('end', done);
      res.on('error', done);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      failure = error.code ?? error.message;
      resolve();
    });
  });
  const write = (part: Buffer) => new Promise<void>((resolve) => req.write(part, () => resolve()));
  await write(bytes.subarray(0, 64 * 1024));
  await Promise.race([answered, sleep(300)]);
  if (answer === undefined && failure === undefined) {
    req.end(bytes.subarray(64 * 1024));
    await answered;
  } else req.destroy();
  return answer ?? `no answer (${failure})`;
}

async function disconnectCheck(child: Child, trials: number): Promise<string> {
  const seen = new Map<string, number[]>();
  let premature = 0;
  for (let trial = 0; trial < trials; trial++) {
    const id = `${child.framework}-${trial}`;
    const controller = new AbortController();
    const response = await fetch(`${child.base}/v1/sse-slow?id=${id}`, {
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the first event has arrived: the stream is under way
    await sleep(50);
    const abortedAt = performance.now();
    controller.abort();
    await reader.read().catch(() => undefined);
    await sleep(1000);
    for (const { via, at } of child.aborts.get(id) ?? []) {
      if (at < abortedAt) premature++;
      const list = seen.get(via) ?? [];
      list.push(at - abortedAt);
      seen.set(via, list);
    }
  }
  const parts = [...seen].map(([via, ms]) => {
    const inTime = ms.filter((x) => x >= 0 && x <= 1000);
    const median = quantile(
      [...inTime].sort((a, b) => a - b),
      0.5,
    );
    return `${via} ${inTime.length}/${trials} (median ${median.toFixed(1)} ms)`;
  });
  if (premature > 0) parts.push(`${premature} signal(s) fired BEFORE the client aborted`);
  return parts.length > 0 ? parts.join(', ') : `nothing seen within 1 s in ${trials} trials`;
}

/** What Fastify does with its default ajv options, through inject() (no socket). */
async function fastifyDefaults(): Promise<string> {
  const { fastify } = await import('fastify');
  const app = fastify();
  app.post('/x', { schema: { body: chatJsonSchema } }, async (request) => request.body);
  const extra = await app.inject({
    method: 'POST',
    url: '/x',
    payload: { model: 'm', messages: [{ role: 'user', content: 'hi', name2: 'x' }] },
  });
  const coerced = await app.inject({
    method: 'POST',
    url: '/x',
    payload: { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: '5' },
  });
  await app.close();
  return (
    `extra message property → ${extra.statusCode} ${extra.body}; ` +
    `max_tokens "5" → ${coerced.statusCode} ${coerced.body}`
  );
}

function packageVersion(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === name) return pkg.version as string;
    } catch {}
    const up = dirname(dir);
    if (up === dir) return '?';
    dir = up;
  }
}

// Output -----------------------------------------------------------------------------------------

const fmt = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

function table(
  title: string,
  workload: Workload,
  sides: Side[],
  runs: Map<Side, RunResult[]>,
  reference: Side,
): void {
  const sse = workload === 'sse';
  const rate = (r: RunResult) => (sse ? r.events : r.count) / (r.elapsedMs / 1000);
  const median = (xs: number[]) =>
    quantile(
      [...xs].sort((a, b) => a - b),
      0.5,
    );
  const sum = (rs: RunResult[], key: keyof RunResult) =>
    rs.reduce((total, r) => total + (r[key] as number), 0);
  const medianRate = (f: Side) => median((runs.get(f) ?? []).map(rate));
  const cpuPer = (f: Side) => {
    const rs = runs.get(f) ?? [];
    return sum(rs, 'serverCpuUs') / sum(rs, 'count');
  };
  const per = sse ? 'stream' : 'req';
  console.log(`\n${title}`);
  console.log(
    `  ${pad('', 19)}${lpad(sse ? 'events/s' : 'req/s', 9)}${lpad('×ref', 7)}  ${pad('rounds min–max', 16)}` +
      `${lpad(sse ? '1st event p50' : 'p50', 14)}${lpad('p99', 10)}  ${lpad(`server µs/${per}`, 16)}` +
      `${lpad('(user)', 8)}${lpad('×ref', 7)}${lpad(`client µs/${per}`, 17)}${lpad('busy', 6)}` +
      (sse ? `${lpad('streams/s', 11)}${lpad('truncated', 11)}` : lpad('failed', 8)),
  );
  for (const f of sides) {
    const rs = runs.get(f) ?? [];
    const latencies = rs.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const count = sum(rs, 'count');
    const rates = rs.map(rate);
    const digits = sse ? 0 : 1;
    console.log(
      `  ${pad(LABEL[f], 19)}${lpad(fmt(medianRate(f)), 9)}${lpad((medianRate(f) / medianRate(reference)).toFixed(2), 7)}` +
        `  ${pad(`${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))}`, 16)}` +
        `${lpad(`${fmt(quantile(latencies, 0.5), 2)} ms`, 14)}${lpad(`${fmt(quantile(latencies, 0.99), 2)} ms`, 10)}` +
        `  ${lpad(fmt(cpuPer(f), digits), 16)}${lpad(fmt(sum(rs, 'serverUserUs') / count, digits), 8)}` +
        `${lpad((cpuPer(f) / cpuPer(reference)).toFixed(2), 7)}` +
        `${lpad(fmt(sum(rs, 'clientCpuUs') / count, digits), 17)}` +
        `${lpad(`${fmt((sum(rs, 'serverCpuUs') / 1000 / sum(rs, 'elapsedMs')) * 100)}%`, 6)}` +
        (sse
          ? `${lpad(fmt(median(rs.map((r) => r.count / (r.elapsedMs / 1000)))), 11)}${lpad(String(sum(rs, 'failures')), 11)}`
          : lpad(String(sum(rs, 'failures')), 8)),
    );
  }
}

async function main(): Promise<void> {
  const { Pool: PoolClass } = await import('undici');
  const versions = ['fastify', 'hono', '@hono/node-server', '@hono/zod-validator', 'zod', 'undici']
    .map((name) => `${name} ${packageVersion(name)}`)
    .join(', ');
  console.log(
    `HTTP frameworks — ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
      `${availableParallelism()} cores, Node ${process.version}, load average ${loadavg()[0]?.toFixed(2)}`,
  );
  console.log(`  ${versions}`);
  console.log(
    `  each server in its own process; client: undici Pool, ${CONNECTIONS} connections; ` +
      `${ROUNDS} rounds × ${DURATION_MS / 1000} s per framework and workload, order rotated each round`,
  );

  const all: Framework[] = ['node', 'fastify', 'hono'];
  const children = new Map<Framework, Child>();
  for (const f of all) children.set(f, await startChild(f, PoolClass));
  const child = (f: Framework) => children.get(f) as Child;

  try {
    // Behaviour facts first: short, and they show the servers answer as intended.
    console.log('\nInvalid bodies (status, field named, message):');
    for (const [what, body] of INVALID_CASES) {
      console.log(`  ${what}`);
      for (const f of ['fastify', 'hono'] as const)
        console.log(
          `    ${pad(LABEL[f], 8)} ${await post(`${child(f).base}/v1/chat/completions`, body)}`,
        );
    }
    console.log(
      `  Fastify with its DEFAULT ajv options (inject()): ${await fastifyDefaults().catch((e) => String(e))}`,
    );
    const big = JSON.stringify({
      model: 'm',
      messages: [{ role: 'user', content: 'x'.repeat(2 * 1024 * 1024) }],
    });
    console.log(`\nA ${fmt(big.length / 1024 / 1024, 1)} MB body:`);
    const bigCases: [string, string][] = [
      ['Fastify (default bodyLimit 1 MiB)', `${child('fastify').base}/v1/chat/completions`],
      ['Hono with bodyLimit({ 1 MiB })', `${child('hono').base}/v1/chat/completions`],
      ['Hono without bodyLimit()', `${child('hono').base}/nolimit/v1/chat/completions`],
    ];
    for (const [what, url] of bigCases)
      console.log(`  ${pad(what, 34)} ${await postRaw(url, big)}`);
    console.log('\nClient aborts mid-SSE — what the server-side handler sees within 1 s:');
    const trials = values.quick ? 2 : 5;
    for (const f of ['fastify', 'hono'] as const)
      console.log(`  ${pad(LABEL[f], 8)} ${await disconnectCheck(child(f), trials)}`);

    // Benchmarks.
    const plan: [Workload, Side[]][] = [
      ['overhead', ['node', 'fastify', 'hono']],
      ['validation', ['fastify', 'hono', 'hono-nolimit']],
      ['sse', ['fastify', 'hono']],
    ];
    const results = new Map<Workload, Map<Side, RunResult[]>>();
    const run = (f: Side, workload: Workload, ms: number) =>
      drive(child(SERVER[f]), workload, ms, PREFIX[f]);
    for (const [workload, sides] of plan) {
      const runs = new Map<Side, RunResult[]>(sides.map((f) => [f, []]));
      results.set(workload, runs);
      for (const f of sides) await run(f, workload, WARMUP_MS);
      for (let round = 0; round < ROUNDS; round++) {
        const order = sides.map((_, i) => sides[(i + round) % sides.length]) as Side[];
        for (const f of order) runs.get(f)?.push(await run(f, workload, DURATION_MS));
      }
    }
    const get = (w: Workload) => results.get(w) as Map<Side, RunResult[]>;
    table(
      'Overhead — GET /health → {"status":"ok"}',
      'overhead',
      ['node', 'fastify', 'hono'],
      get('overhead'),
      'node',
    );
    table(
      'Validation — POST /v1/chat/completions, 2-message body, schema-checked, JSON answer',
      'validation',
      ['fastify', 'hono', 'hono-nolimit'],
      get('validation'),
      'fastify',
    );
    table(
      `SSE — GET /v1/sse, ${SSE_EVENTS} chunk events (one per event-loop turn) then [DONE]`,
      'sse',
      ['fastify', 'hono'],
      get('sse'),
      'fastify',
    );
    console.log(
      '\nreq/s, events/s: median of the rounds; ×ref: against the first row; p50/p99: all requests ' +
        'of all rounds; server µs: CPU time of the server process per request (stream), user + ' +
        'system (user alone in brackets); client µs: the same for the load client; busy: server CPU ' +
        'time over wall time (under 100%: the client, on the other core, is the limit).',
    );
    console.log(
      `load average at the end: ${loadavg()[0]?.toFixed(2)} (other processes share the cores)`,
    );
  } finally {
    for (const c of children.values()) {
      await c.pool.close();
      c.process.send({ type: 'exit' });
    }
  }
}

if (values.serve) await runServer(values.serve);
else await main();
