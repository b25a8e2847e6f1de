#!/usr/bin/env node
/**
 * `node packages/bench/dist/serve-load.js [--quick] [--threads N]`: the load test of
 * `npu-first serve` (@npu-first/server). The server runs in a child process
 * (children/serve-child.js: the real CPU backends, the tiny GGUF as `tiny`, Silero VAD as
 * `vad`, preloaded), so the load client — Node's own fetch — never shares its event loop.
 * (A) 32 streaming chat clients for 30 s, every SSE stream read to its end and checked: each
 * event parses, no error event, the last carries finish_reason and usage, text non-empty,
 * `data: [DONE]` last. (B) 64 clients on POST /v1/graph/vad/run for 30 s with JSON numbers,
 * then 10 s with base64 tensors, each answer checked (output [1,1] in [0, 1], stateN
 * [2,1,128]). (C) The server's overhead per request: sequential HTTP requests against the
 * library called directly in the server's process (same runtime, same load options), in
 * alternating blocks. `--quick`: 8 and 16 clients, 5 s. `--threads N`: a `threads` load option
 * for both models (default: the backends' choice, as the CLI serves them). Exit code 1 when
 * any request failed or was truncated, or the server died. Results: docs/serve.md.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ServeChildReply, ServeChildRequest } from './children/serve-child.js';
import { random } from './runner/random.js';
import { quantile } from './runner/stats.js';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, threads: { type: 'string' } },
});
const quick = values.quick;
/** A load option for both models (default: the backends' own choice, as `npu-first serve` does). */
const threads = values.threads === undefined ? undefined : Number(values.threads);
const CHAT = { clients: quick ? 8 : 32, seconds: quick ? 5 : 30, maxTokens: 32 };
const VAD = { clients: quick ? 16 : 64, seconds: quick ? 5 : 30 };
const VAD_BASE64 = { clients: VAD.clients, seconds: quick ? 3 : 10 };
const OVERHEAD = { rounds: quick ? 3 : 6, vadBlock: quick ? 50 : 200, chatBlock: quick ? 10 : 15 };
const CHAT_MESSAGE = 'Say something short.';
const SEED = 42;

// ── The server process ─────────────────────────────────────────────────────────────────────

const CHILD = fileURLToPath(new URL('./children/serve-child.js', import.meta.url));

type Ready = Extract<ServeChildReply, { type: 'ready' }>;

function startServer(): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(CHILD, [JSON.stringify({ threads })], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // However this process ends, the server must not outlive it.
  process.on('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    child.once('message', (m: ServeChildReply) =>
      m.type === 'ready'
        ? resolve({ child, ready: m })
        : reject(new Error(`server: ${JSON.stringify(m)}`)),
    );
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
}

/** One request to the server process over IPC (one at a time); rejects if it has died. */
function ask(child: ChildProcess, request: ServeChildRequest): Promise<ServeChildReply> {
  return new Promise((resolve, reject) => {
    const exited = () =>
      reject(new Error(`the server exited (${child.exitCode ?? child.signalCode})`));
    if (!child.connected) return exited();
    child.once('exit', exited);
    child.once('message', (m: ServeChildReply) => {
      child.off('exit', exited);
      resolve(m);
    });
    child.send(request);
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (child.connected) child.send({ type: 'close' } satisfies ServeChildRequest);
  else child.kill('SIGKILL');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

// ── One request, checked ───────────────────────────────────────────────────────────────────

interface Sample {
  readonly outcome: 'ok' | 'failed' | 'truncated';
  /** Whole request: sent → last byte read. */
  readonly ms: number;
  /** Streams: sent → first chunk with text. */
  readonly ttftMs?: number;
  readonly tokens?: number;
  readonly why?: string;
  readonly backend?: string | null;
}

const failed = (t0: number, why: string): Sample => ({
  outcome: 'failed',
  ms: performance.now() - t0,
  why,
});

const chatBody = (stream: boolean, maxTokens: number) =>
  JSON.stringify({
    model: 'tiny',
    messages: [{ role: 'user', content: CHAT_MESSAGE }],
    max_tokens: maxTokens,
    temperature: 0,
    seed: SEED,
    ...(stream ? { stream: true } : {}),
  });

const post = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

/** A streamed chat, read to its end; anything short of a complete OpenAI stream is not `ok`. */
async function streamedChat(base: string, body: string): Promise<Sample> {
  const t0 = performance.now();
  let res: Response;
  try {
    res = await post(`${base}/v1/chat/completions`, body);
  } catch (error) {
    return failed(t0, `fetch: ${(error as Error).message}`);
  }
  if (res.status !== 200)
    return failed(t0, `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
  if (!res.body) return failed(t0, 'no body');
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  let ttftMs: number | undefined;
  let last: { choices?: { finish_reason?: unknown }[]; usage?: { completion_tokens?: unknown } } =
    {};
  let done = false;
  let bad: string | undefined;
  /** Takes one SSE event; returns what is wrong with it, if anything. */
  const event = (block: string): string | undefined => {
    if (!block.startsWith('data: ') || block.includes('\n'))
      return `not one data line: ${block.slice(0, 80)}`;
    const payload = block.slice(6);
    if (done) return 'an event after [DONE]';
    if (payload === '[DONE]') {
      done = true;
      return;
    }
    let parsed: typeof last & { error?: unknown; choices?: { delta?: { content?: unknown } }[] };
    try {
      parsed = JSON.parse(payload);
    } catch {
      return `unparseable event: ${payload.slice(0, 80)}`;
    }
    if (parsed.error) return `error event: ${payload.slice(0, 200)}`;
    const content = parsed.choices?.[0]?.delta?.content;
    if (typeof content === 'string' && content !== '') {
      ttftMs ??= performance.now() - t0;
      text += content;
    }
    last = parsed;
  };
  try {
    for await (const bytes of res.body) {
      buffer += decoder.decode(bytes as Uint8Array, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        bad ??= event(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  } catch (error) {
    if (!done)
      return {
        outcome: 'truncated',
        ms: performance.now() - t0,
        why: `read: ${(error as Error).message}`,
      };
  }
  const ms = performance.now() - t0;
  if (bad) return failed(t0, bad);
  if (!done) return { outcome: 'truncated', ms, why: 'no data: [DONE]' };
  if (buffer.trim() !== '') return failed(t0, `bytes after [DONE]: ${buffer.slice(0, 80)}`);
  const finish = last.choices?.[0]?.finish_reason;
  const tokens = last.usage?.completion_tokens;
  if (finish !== 'stop' && finish !== 'length')
    return failed(t0, `last event's finish_reason ${String(finish)}`);
  if (!Number.isInteger(tokens) || (tokens as number) < 1)
    return failed(t0, `completion_tokens ${String(tokens)}`);
  if (text === '') return failed(t0, 'no text');
  return {
    outcome: 'ok',
    ms,
    ...(ttftMs !== undefined ? { ttftMs } : {}),
    tokens: tokens as number,
    backend: res.headers.get('x-npu-first-backend'),
  };
}

/** A non-streamed chat (the overhead figure), checked like the library's answer. */
async function plainChat(base: string, body: string): Promise<Sample & { text?: string }> {
  const t0 = performance.now();
  try {
    const res = await post(`${base}/v1/chat/completions`, body);
    const json = (await res.json()) as {
      choices?: { message?: { content?: string } }[];
      usage?: { completion_tokens?: number };
    };
    const ms = performance.now() - t0;
    if (res.status !== 200)
      return failed(t0, `HTTP ${res.status}: ${JSON.stringify(json).slice(0, 200)}`);
    const text = json.choices?.[0]?.message?.content;
    if (typeof text !== 'string' || !json.usage?.completion_tokens)
      return failed(t0, 'no text or usage');
    return { outcome: 'ok', ms, tokens: json.usage.completion_tokens, text };
  } catch (error) {
    return failed(t0, `fetch: ${(error as Error).message}`);
  }
}

/** Fixed, varied Silero chunks (a tone in noise), as JSON bodies made once: a cheap client. */
function vadBodies(encoding: 'json' | 'base64'): { bodies: string[]; samples: number[][] } {
  const next = random(7);
  const samples = Array.from({ length: 16 }, (_, k) =>
    Array.from(
      { length: 512 },
      (_, i) => 0.3 * Math.sin((2 * Math.PI * (200 + 50 * k) * i) / 16000) + 0.05 * (next() - 0.5),
    ),
  );
  const b64 = (xs: number[] | Float32Array) =>
    Buffer.from(Float32Array.from(xs).buffer).toString('base64');
  const bodies = samples.map((s) =>
    JSON.stringify({
      inputs: {
        input: { dtype: 'float32', dims: [1, 512], data: encoding === 'json' ? s : b64(s) },
        state: {
          dtype: 'float32',
          dims: [2, 1, 128],
          data: encoding === 'json' ? new Array(256).fill(0) : b64(new Float32Array(256)),
        },
        sr: { dtype: 'int64', dims: [], data: [16000] },
      },
      ...(encoding === 'base64' ? { output_encoding: 'base64' } : {}),
    }),
  );
  return { bodies, samples };
}

interface JsonTensor {
  dtype?: string;
  dims?: number[];
  data?: number[] | string;
}

const floats = (t: JsonTensor): number[] =>
  typeof t.data === 'string'
    ? [...new Float32Array(Uint8Array.from(Buffer.from(t.data, 'base64')).buffer)]
    : (t.data ?? []);

/** One VAD run through the graph route: output [1,1] with a probability, stateN [2,1,128]. */
async function vadRun(base: string, body: string): Promise<Sample> {
  const t0 = performance.now();
  try {
    const res = await post(`${base}/v1/graph/vad/run`, body);
    const json = (await res.json()) as { outputs?: Record<string, JsonTensor> };
    const ms = performance.now() - t0;
    if (res.status !== 200)
      return failed(t0, `HTTP ${res.status}: ${JSON.stringify(json).slice(0, 200)}`);
    const { output, stateN } = json.outputs ?? {};
    if (!output || JSON.stringify(output.dims) !== '[1,1]')
      return failed(t0, `output dims ${JSON.stringify(output?.dims)}`);
    const p = floats(output);
    if (p.length !== 1 || !((p[0] as number) >= 0 && (p[0] as number) <= 1))
      return failed(t0, `output ${JSON.stringify(p)}`);
    if (!stateN || JSON.stringify(stateN.dims) !== '[2,1,128]' || floats(stateN).length !== 256)
      return failed(t0, `stateN ${JSON.stringify(stateN?.dims)}`);
    return { outcome: 'ok', ms, backend: res.headers.get('x-npu-first-backend') };
  } catch (error) {
    return failed(t0, `fetch: ${(error as Error).message}`);
  }
}

// ── Load and figures ───────────────────────────────────────────────────────────────────────

/** `clients` loops, each sending its next request once the last is answered, until time is up. */
async function load(
  clients: number,
  seconds: number,
  once: (client: number, i: number) => Promise<Sample>,
) {
  const samples: Sample[] = [];
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; performance.now() < deadline; i++) samples.push(await once(c, i));
    }),
  );
  return { samples, wallS: (performance.now() - start) / 1000 };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const pct = (xs: number[], q: number) => quantile(sorted(xs), q);
const median = (xs: number[]) => pct(xs, 0.5);

interface Row {
  readonly label: string;
  readonly clients: number;
  readonly wallS: number;
  readonly samples: Sample[];
}

let totalRequests = 0;
let totalBad = 0;
const reasons = new Map<string, number>();
function note(samples: readonly Sample[]): void {
  for (const s of samples) {
    totalRequests++;
    if (s.outcome === 'ok') continue;
    totalBad++;
    const why = `${s.outcome}: ${s.why ?? '?'}`;
    reasons.set(why, (reasons.get(why) ?? 0) + 1);
  }
}

const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const pad = (s: string | number, n: number) => String(s).padStart(n);

function tableLines(rows: readonly Row[]): string[] {
  const out = [
    `${'workload'.padEnd(34)}${pad('clients', 8)}${pad('s', 6)}${pad('completed', 10)}${pad('failed', 8)}${pad('truncated', 10)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('req/s', 8)}${pad('tok/s', 8)}`,
  ];
  for (const { label, clients, wallS, samples } of rows) {
    const ok = samples.filter((s) => s.outcome === 'ok');
    const count = (o: Sample['outcome']) => samples.filter((s) => s.outcome === o).length;
    const ms = ok.map((s) => s.ms);
    const tokens = ok.reduce((n, s) => n + (s.tokens ?? 0), 0);
    const streamed = ok.some((s) => s.ttftMs !== undefined);
    out.push(
      `${label.padEnd(34)}${pad(clients, 8)}${pad(f(wallS, 1), 6)}${pad(ok.length, 10)}${pad(count('failed'), 8)}${pad(streamed ? count('truncated') : '–', 10)}${pad(f(median(ms)), 9)}${pad(f(pct(ms, 0.99)), 9)}${pad(f(ok.length / wallS), 8)}${pad(tokens ? f(tokens / wallS, 0) : '–', 8)}`,
    );
    if (streamed) {
      const ttft = ok.flatMap((s) => (s.ttftMs !== undefined ? [s.ttftMs] : []));
      out.push(
        `${'  time to first token'.padEnd(76)}${pad(f(median(ttft)), 9)}${pad(f(pct(ttft, 0.99)), 9)}`,
      );
    }
  }
  return out;
}

// ── The run ────────────────────────────────────────────────────────────────────────────────

const startedAt = performance.now();
const load0 = loadavg()[0] ?? 0;
const { child, ready } = await startServer();
const { url } = ready;
const lines: string[] = [
  `npu-first serve load test${quick ? ' (--quick)' : ''} — ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}`,
];
let stopped: Error | undefined;
try {
  console.error(`server up at ${url} after ${f((performance.now() - startedAt) / 1000)} s`);

  // Warm-up: both models answer once before anything is timed.
  const warm = [await streamedChat(url, chatBody(true, CHAT.maxTokens))];
  const json = vadBodies('json');
  const base64 = vadBodies('base64');
  for (let i = 0; i < 20; i++) warm.push(await vadRun(url, json.bodies[i % 16] as string));
  note(warm);

  // A: streamed chat.
  console.error(`A: ${CHAT.clients} streaming chat clients, ${CHAT.seconds} s…`);
  const streamBody = chatBody(true, CHAT.maxTokens);
  const a = await load(CHAT.clients, CHAT.seconds, () => streamedChat(url, streamBody));
  // B: the graph route, JSON numbers, then base64 both ways.
  console.error(
    `B: ${VAD.clients} graph clients, ${VAD.seconds} s (JSON) + ${VAD_BASE64.seconds} s (base64)…`,
  );
  const b = await load(VAD.clients, VAD.seconds, (c, i) =>
    vadRun(url, json.bodies[(c + i) % 16] as string),
  );
  const b64 = await load(VAD_BASE64.clients, VAD_BASE64.seconds, (c, i) =>
    vadRun(url, base64.bodies[(c + i) % 16] as string),
  );
  const rows: Row[] = [
    { label: `chat, streamed, max_tokens ${CHAT.maxTokens}`, clients: CHAT.clients, ...a },
    { label: 'graph vad/run, JSON numbers', clients: VAD.clients, ...b },
    { label: 'graph vad/run, base64 in and out', clients: VAD_BASE64.clients, ...b64 },
  ];
  for (const r of rows) note(r.samples);
  const stats = (await ask(child, { type: 'stats' })) as Extract<
    ServeChildReply,
    { type: 'stats' }
  >;
  const backendOf = (xs: Sample[]) => xs.find((s) => s.backend)?.backend ?? '?';
  lines.push(
    `server: a child process (@npu-first/server, CPU backends, preloaded): generations on ${backendOf(a.samples)}, intra-op threads ${ready.threads.tiny}; graph runs on ${backendOf(b.samples)}, intra-op threads ${ready.threads.vad}`,
    `client: Node's fetch (undici), same machine; ${stats.connections} connections opened, at most ${stats.peakOpen} open at once; load average ${f(load0, 2)} before, ${f(loadavg()[0] ?? 0, 2)} after A and B`,
    '',
    ...tableLines(rows),
  );

  // C: overhead at concurrency 1, alternating library and HTTP blocks.
  console.error('C: overhead per request, sequential…');
  const vadSamples = json.samples[0] as number[];
  const vadBody = json.bodies[0] as string;
  const plainBody = chatBody(false, 8);
  const chatAsk = (runs: number): ServeChildRequest => ({
    type: 'direct',
    kind: 'chat',
    runs,
    content: CHAT_MESSAGE,
    maxTokens: 8,
    seed: SEED,
  });
  const direct = async (m: ServeChildRequest) => {
    const reply = await ask(child, m);
    if (reply.type !== 'direct') throw new Error(`server: ${JSON.stringify(reply)}`);
    return reply;
  };
  const lib = { vad: [] as number[], chat: [] as number[] };
  const http = { vad: [] as Sample[], chat: [] as (Sample & { text?: string })[] };
  // Warm-up of both sides' sequential paths.
  await direct({ type: 'direct', kind: 'vad', runs: 20, samples: vadSamples });
  let libChat = await direct(chatAsk(2));
  for (let i = 0; i < 20; i++) await vadRun(url, vadBody);
  for (let i = 0; i < 2; i++) await plainChat(url, plainBody);
  for (let r = 0; r < OVERHEAD.rounds; r++) {
    const vadAsk = { type: 'direct', kind: 'vad', runs: OVERHEAD.vadBlock, samples: vadSamples };
    lib.vad.push(...(await direct(vadAsk as ServeChildRequest)).ms);
    for (let i = 0; i < OVERHEAD.vadBlock; i++) http.vad.push(await vadRun(url, vadBody));
    libChat = await direct(chatAsk(OVERHEAD.chatBlock));
    lib.chat.push(...libChat.ms);
    for (let i = 0; i < OVERHEAD.chatBlock; i++) http.chat.push(await plainChat(url, plainBody));
  }
  // Temperature 0, same seed: the server must answer what the library answers.
  const checked = http.chat.map(
    (s): Sample =>
      s.outcome === 'ok' && (s.text !== libChat.text || s.tokens !== libChat.tokens)
        ? { outcome: 'failed', ms: s.ms, why: "the chat's text differs from the library's" }
        : s,
  );
  note(http.vad);
  note(checked);
  const overhead = (label: string, libMs: number[], viaHttp: Sample[]) => {
    const x = median(libMs);
    const y = median(viaHttp.filter((s) => s.outcome === 'ok').map((s) => s.ms));
    return `  ${label.padEnd(30)}library direct ${f(x, 3)} ms · via HTTP ${f(y, 3)} ms · overhead ${f(y - x, 3)} ms per request (${f(y / x, 2)}×)`;
  };
  lines.push(
    '',
    `overhead per request at concurrency 1 (medians of ${OVERHEAD.rounds} alternating blocks: ${OVERHEAD.vadBlock} VAD runs, ${OVERHEAD.chatBlock} chats; the same models, runtime and load options in the server's process):`,
    overhead('Silero run (JSON numbers)', lib.vad, http.vad),
    overhead(`chat, max_tokens 8, seed ${SEED}`, lib.chat, http.chat),
    `  ${libChat.tokens} tokens at temperature 0; the HTTP answers ${checked.every((s) => s.outcome === 'ok') ? 'equal' : 'do NOT all equal'} the library's`,
  );
} catch (error) {
  stopped = error as Error;
} finally {
  await stopServer(child);
}
if (reasons.size > 0) {
  lines.push('', 'not ok (most frequent first):');
  for (const [why, n] of [...reasons].sort((x, y) => y[1] - x[1]).slice(0, 10))
    lines.push(`  ${n} × ${why}`);
}
const truncated = [...reasons]
  .filter(([why]) => why.startsWith('truncated'))
  .reduce((n, [, count]) => n + count, 0);
lines.push(
  '',
  stopped
    ? `verdict: the run stopped (${stopped.message}); ${totalBad - truncated} failed, ${truncated} truncated of ${totalRequests} requests before`
    : `verdict: ${totalBad - truncated} failed, ${truncated} truncated of ${totalRequests} requests${totalBad === 0 ? '' : ' — NOT OK'}`,
);
console.log(lines.join('\n'));
process.exitCode = stopped || totalBad > 0 ? 1 : 0;
