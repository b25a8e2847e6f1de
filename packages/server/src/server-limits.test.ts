import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runtime } from '@npu-first/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cpuRuntime, SILERO, sileroBody, tinyGguf } from './__fixtures__/served-models.js';
import { createServer, type NpuFirstServer } from './serve.js';
import { readServeConfig } from './serve-config.js';

let runtime: Runtime;
let gguf: string;
const open: NpuFirstServer[] = [];

beforeAll(async () => {
  runtime = await cpuRuntime();
  gguf = await tinyGguf();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function serve(extra: Record<string, unknown> = {}): Promise<NpuFirstServer> {
  const server = await createServer({
    runtime,
    models: [
      { name: 'tiny', path: gguf },
      { name: 'vad', path: SILERO },
    ],
    ...extra,
  });
  open.push(server);
  return server;
}

const chatBody = (maxTokens: number) => ({
  model: 'tiny',
  messages: [{ role: 'user', content: 'count' }],
  max_tokens: maxTokens,
});

describe('limits, auth and lifetime', () => {
  it('answers 429 with Retry-After past the queue bound, and serves again once it drains', async () => {
    const server = await serve({ maxQueue: 1 });
    const inject = (n: number) =>
      server.app.inject({ method: 'POST', url: '/v1/chat/completions', payload: chatBody(n) });
    const long = inject(200);
    // Wait until the first request holds the model's only place.
    while (
      !(await server.app.inject('/metrics')).body.includes(
        'npu_first_model_requests_in_queue{model="tiny"} 1',
      )
    )
      await new Promise((r) => setTimeout(r, 20));
    const refused = await inject(2);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json().error).toMatchObject({ type: 'rate_limit_error', code: 'queue_full' });
    expect((await long).statusCode).toBe(200);
    expect((await inject(2)).statusCode).toBe(200);
  });

  it('unloads a model after its idle time and loads it again on the next request', async () => {
    const server = await serve({ idleUnloadMs: 1 });
    const run = () =>
      server.app.inject({ method: 'POST', url: '/v1/graph/vad/run', payload: sileroBody() });
    expect((await run()).statusCode).toBe(200);
    while ((await server.app.inject('/healthz')).json().models.vad !== 'unloaded')
      await new Promise((r) => setTimeout(r, 10));
    expect((await run()).statusCode).toBe(200);
    const metrics = (await server.app.inject('/metrics')).body;
    expect(metrics).toMatch(
      /npu_first_model_loads_total\{model="vad",backend="cpu-onnxruntime"\} 2/,
    );
  });

  it('loads every model before answering with preload, and refuses to start on a model that cannot load', async () => {
    const server = await serve({ preload: true, idleUnloadMs: 0 });
    expect((await server.app.inject('/healthz')).json().models).toEqual({
      tiny: 'loaded',
      vad: 'loaded',
    });
    const dir = await mkdtemp(join(tmpdir(), 'npu-first-serve-bad-'));
    const cut = join(dir, 'cut.gguf');
    await writeFile(cut, Buffer.from('GGUF\u0003\u0000\u0000\u0000'));
    await expect(
      createServer({ runtime, models: [{ name: 'cut', path: cut }], preload: true }),
    ).rejects.toMatchObject({ code: 'MODEL_CORRUPT' });
    await expect(
      createServer({ runtime, models: [{ name: 'gone', path: join(dir, 'gone.onnx') }] }),
    ).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    // A model that no backend takes stops the start, and the one loaded before it is freed.
    const lines: string[] = [];
    await expect(
      createServer({
        runtime,
        models: [
          { name: 'vad', path: SILERO },
          { name: 'tiny', path: gguf, load: { policy: 'npu' } },
        ],
        preload: true,
        log: (line) => lines.push(line),
      }),
    ).rejects.toMatchObject({ code: 'ALL_BACKENDS_FAILED' });
    expect(lines).toEqual([
      'loading vad (1.2 MiB)…',
      expect.stringMatching(/^loaded vad on cpu-onnxruntime/),
      'loading tiny (0.7 MiB)…',
      'unloaded vad (close)',
    ]);
  });

  it('needs the API key on every route but /healthz', async () => {
    const server = await serve({ apiKey: 'sk-test-123456' });
    const models = (authorization?: string) =>
      server.app.inject({ url: '/v1/models', headers: authorization ? { authorization } : {} });
    expect((await models()).json().error.code).toBe('missing_api_key');
    expect((await models('Bearer wrong-key')).statusCode).toBe(401);
    expect((await models('Bearer wrong-key')).json().error.code).toBe('invalid_api_key');
    expect((await models('Basic c2stdGVzdA==')).statusCode).toBe(401);
    expect((await models('Bearer sk-test-123456')).statusCode).toBe(200);
    expect((await server.app.inject('/healthz')).statusCode).toBe(200);
    expect((await server.app.inject('/metrics')).statusCode).toBe(401);
  });

  it('refuses bad options by name before anything loads', async () => {
    const bad = (extra: Record<string, unknown>) =>
      createServer({ runtime, models: [{ name: 'vad', path: SILERO }], ...extra });
    await expect(bad({ maxQueue: 0 })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      option: 'maxQueue',
    });
    await expect(bad({ apiKey: 'short' })).rejects.toMatchObject({ option: 'apiKey' });
    await expect(bad({ port: 80 })).rejects.toMatchObject({ option: 'port' });
    await expect(
      createServer({
        runtime,
        models: [{ name: 'vad', path: SILERO, load: { thread: 2 } as never }],
      }),
    ).rejects.toMatchObject({ option: 'models[0].load.thread' });
    await expect(
      createServer({ runtime, models: [{ name: 'a b', path: SILERO }] }),
    ).rejects.toMatchObject({ option: 'models[0].name' });
    await expect(
      createServer({
        runtime,
        models: [
          { name: 'vad', path: SILERO },
          { name: 'vad', path: SILERO },
        ],
      }),
    ).rejects.toMatchObject({ option: 'models[1].name' });
  });

  it('reads a config file: names to paths relative to the file, load options, listen options', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npu-first-serve-config-'));
    const file = join(dir, 'serve.json');
    await writeFile(
      file,
      JSON.stringify({
        port: 0,
        maxQueue: 4,
        models: { vad: SILERO, tiny: { path: 'tiny.gguf', load: { threads: 1 } } },
      }),
    );
    const config = await readServeConfig(file);
    expect(config.port).toBe(0);
    expect(config.models).toEqual([
      { name: 'vad', path: SILERO },
      { name: 'tiny', path: join(dir, 'tiny.gguf'), load: { threads: 1 } },
    ]);
    await writeFile(file, JSON.stringify({ models: { vad: SILERO }, prot: 1 }));
    await expect(readServeConfig(file)).rejects.toMatchObject({ option: 'config prot' });
    await writeFile(file, '{ "models": ');
    await expect(readServeConfig(file)).rejects.toMatchObject({ option: '--config' });
  });
});
