/**
 * The server of `serve-load.js`, in a process of its own so the load client never shares its
 * event loop: `createServer` with the real CPU backends, the tiny GGUF as `tiny` and Silero VAD
 * as `vad`, preloaded, on 127.0.0.1 port 0. Sends `{ type: 'ready', url, threads }` over IPC,
 * then answers `direct` with the library's own times (the same runtime and load options, a
 * model loaded next to each served one), `stats` with connection counts, `close` by closing.
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createCpuLlamaBackend, createCpuOnnxBackend } from '@npu-first/backend-cpu';
import {
  createRuntime,
  type Feeds,
  type PlacedModel,
  type PlacedTextGenerator,
  tensor,
} from '@npu-first/core';
import { createServer } from '@npu-first/server';
import { sileroPath, tinyGgufPath } from '../models.js';

/** What the parent asks; `chat` carries the request's message and sampling, `vad` the chunk. */
export type ServeChildRequest =
  | {
      readonly type: 'direct';
      readonly kind: 'vad';
      readonly runs: number;
      readonly samples: number[];
    }
  | {
      readonly type: 'direct';
      readonly kind: 'chat';
      readonly runs: number;
      readonly content: string;
      readonly maxTokens: number;
      readonly seed: number;
    }
  | { readonly type: 'stats' }
  | { readonly type: 'close' };

export type ServeChildReply =
  | {
      readonly type: 'ready';
      readonly url: string;
      /** Intra-op threads of each model, as placed (`default` when the backend did not say). */
      readonly threads: { readonly vad: string; readonly tiny: string };
    }
  | {
      readonly type: 'direct';
      readonly ms: number[];
      readonly tokens?: number;
      readonly text?: string;
    }
  | { readonly type: 'stats'; readonly connections: number; readonly peakOpen: number }
  | { readonly type: 'error'; readonly message: string };

const send = (m: ServeChildReply) => process.send?.(m);
/** `--threads` of the parent: a load option for both models, served and direct. */
const { threads } = JSON.parse(process.argv[2] ?? '{}') as { threads?: number };
const load = threads !== undefined ? { threads } : {};

const runtime = await createRuntime({
  backends: [createCpuOnnxBackend(), createCpuLlamaBackend()],
  env: {},
  policy: 'cpu-only;selection=first',
});
const gguf = await tinyGgufPath();
const vad = sileroPath();
const server = await createServer({
  runtime,
  models: [
    { name: 'tiny', path: gguf, load },
    { name: 'vad', path: vad, load },
  ],
  preload: true,
  // 64 graph clients must all be admitted: a 429 would count as a failure.
  maxQueue: 128,
});
const url = await server.listen({ host: '127.0.0.1', port: 0 });
// Counted to show the client really held its N connections (fetch's pool has no per-origin cap).
const sockets = { connections: 0, open: 0, peakOpen: 0 };
server.app.server.on('connection', (socket) => {
  sockets.connections++;
  sockets.peakOpen = Math.max(sockets.peakOpen, ++sockets.open);
  socket.once('close', () => sockets.open--);
});

// The library side of the overhead figure: the same runtime and load options as the slots.
const direct = {
  vad: await runtime.load(vad, { ...load, task: 'graph' }),
  tiny: await runtime.load(gguf, { ...load, task: 'text-generation' }),
};
const threadsOf = (m: PlacedModel) => {
  const t = m.placement.details?.threads;
  return t ? `${t.count} (${t.why})` : 'default';
};

async function measure(
  request: Extract<ServeChildRequest, { type: 'direct' }>,
): Promise<ServeChildReply> {
  const ms: number[] = [];
  if (request.kind === 'vad') {
    // Decoded per call, as the server decodes each request's JSON into fresh tensors.
    const feedsOf = (): Feeds => ({
      input: tensor('float32', Float32Array.from(request.samples), [1, 512]),
      state: tensor('float32', new Float32Array(256), [2, 1, 128]),
      sr: tensor('int64', BigInt64Array.of(16000n), []),
    });
    for (let i = 0; i < request.runs; i++) {
      const t0 = performance.now();
      await direct.vad.run(feedsOf());
      ms.push(performance.now() - t0);
    }
    return { type: 'direct', ms };
  }
  let last: Awaited<ReturnType<PlacedTextGenerator['generate']>> | undefined;
  for (let i = 0; i < request.runs; i++) {
    const t0 = performance.now();
    last = await direct.tiny.generate([{ role: 'user', content: request.content }], {
      maxTokens: request.maxTokens,
      temperature: 0,
      seed: request.seed,
    });
    ms.push(performance.now() - t0);
  }
  return {
    type: 'direct',
    ms,
    ...(last ? { tokens: last.stats.generatedTokens, text: last.text } : {}),
  };
}

process.on('message', (m: ServeChildRequest) => {
  if (m.type === 'close') {
    void (async () => {
      await server.close();
      await Promise.all([direct.vad.dispose(), direct.tiny.dispose()]);
      await rm(dirname(gguf), { recursive: true, force: true });
      process.exit(0);
    })();
    return;
  }
  if (m.type === 'stats')
    return send({ type: 'stats', connections: sockets.connections, peakOpen: sockets.peakOpen });
  measure(m).then(send, (error: unknown) =>
    send({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
// The parent gone (killed, crashed): do not linger as a stray server.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', url, threads: { vad: threadsOf(direct.vad), tiny: threadsOf(direct.tiny) } });
