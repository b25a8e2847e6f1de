import type { PlacedGraphModel, PlacedTextGenerator, Runtime } from '@npu-first/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuRuntime, SILERO, sileroBody, tinyGguf } from './__fixtures__/served-models.js';
import { createServer, type NpuFirstServer } from './serve.js';

let runtime: Runtime;
let gguf: string;
let server: NpuFirstServer;

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  server.app.inject({ method: 'POST', url, payload: payload as object, headers });
const chat = (content: string, extra: Record<string, unknown> = {}) =>
  post('/v1/chat/completions', {
    model: 'tiny',
    messages: [{ role: 'user', content }],
    max_tokens: 6,
    seed: 1,
    ...extra,
  });

beforeAll(async () => {
  runtime = await cpuRuntime();
  gguf = await tinyGguf();
  server = await createServer({
    runtime,
    models: [
      { name: 'tiny', path: gguf },
      { name: 'vad', path: SILERO },
    ],
  });
});
afterAll(() => server.close());

describe('the OpenAI routes on the real engines', () => {
  it('lists the configured models, loaded on first use', async () => {
    const before = (await server.app.inject('/v1/models')).json();
    expect(before.object).toBe('list');
    expect(before.data.map((m: { id: string }) => m.id)).toEqual(['tiny', 'vad']);
    expect(before.data[1].npu_first).toMatchObject({ format: 'onnx', task: 'graph' });
    await post('/v1/graph/vad/run', sileroBody());
    const after = (await server.app.inject('/v1/models/vad')).json();
    expect(after.npu_first.loaded).toBe(true);
    expect(after.npu_first.placement.backend).toBe('cpu-onnxruntime');
  });

  it('answers a chat with the text, usage and where it ran — the same as the library', async () => {
    const res = await chat('hello there');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const direct = (await runtime.load(gguf, {
      task: 'text-generation',
    })) as PlacedTextGenerator;
    const expected = await direct.generate([{ role: 'user', content: 'hello there' }], {
      maxTokens: 6,
      seed: 1,
    });
    await direct.dispose();
    expect(body.choices[0].message).toEqual({ role: 'assistant', content: expected.text });
    expect(body.choices[0].finish_reason).toBe(
      expected.stats.stopReason === 'max-tokens' ? 'length' : 'stop',
    );
    expect(body.usage).toEqual({
      prompt_tokens: expected.stats.promptTokens,
      completion_tokens: expected.stats.generatedTokens,
      total_tokens: expected.stats.promptTokens + expected.stats.generatedTokens,
    });
    expect(res.headers['x-npu-first-backend']).toBe('cpu-llamacpp');
    expect(res.headers['x-npu-first-device']).toBe(body.npu_first.device);
    expect(res.headers['x-npu-first-passed-over']).toMatch(
      /^no-npu=unavailable, no-gpu=unavailable/,
    );
    expect(body.npu_first.passed_over[0]).toEqual({
      backend: null,
      outcome: 'unavailable',
      reason: expect.stringContaining('no NPU backend is installed'),
    });
  });

  it('streams a chat as server-sent events whose text equals the whole answer', async () => {
    const whole = (await chat('stream me')).json().choices[0].message.content;
    const res = await chat('stream me', { stream: true });
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['x-npu-first-backend']).toBe('cpu-llamacpp');
    const events = res.body
      .split('\n\n')
      .filter((e) => e.startsWith('data: '))
      .map((e) => e.slice(6));
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0].delta.content ?? '').join('');
    expect(text).toBe(whole);
    const last = chunks.at(-1);
    expect(last.choices[0].finish_reason).toMatch(/^(length|stop)$/);
    expect(last.usage.completion_tokens).toBeGreaterThan(0);
    expect(last.npu_first.backend).toBe('cpu-llamacpp');
  });

  it('answers a raw completion, and embeddings as floats or base64 of the same floats', async () => {
    const completion = (
      await post('/v1/completions', { model: 'tiny', prompt: 'hi', max_tokens: 3 })
    ).json();
    expect(completion.object).toBe('text_completion');
    expect(typeof completion.choices[0].text).toBe('string');
    expect(completion.usage.completion_tokens).toBeGreaterThan(0);
    const floats = (
      await post('/v1/embeddings', { model: 'tiny', input: ['a cat', 'a dog'] })
    ).json();
    expect(floats.data).toHaveLength(2);
    const b64 = (
      await post('/v1/embeddings', { model: 'tiny', input: ['a cat'], encoding_format: 'base64' })
    ).json();
    const bytes = Buffer.from(b64.data[0].embedding, 'base64');
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(decoded).toEqual(floats.data[0].embedding);
    expect(floats.data[0].embedding).not.toEqual(floats.data[1].embedding);
    expect(floats.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('runs a graph with the outputs the library gives, as JSON numbers or base64', async () => {
    const samples = Array.from({ length: 512 }, (_, i) => Math.sin(i / 8) * 0.5);
    const res = await post('/v1/graph/vad/run', sileroBody(samples));
    expect(res.statusCode).toBe(200);
    const direct = (await runtime.load(SILERO, { task: 'graph' })) as PlacedGraphModel;
    const want = await direct.run({
      input: { type: 'float32', data: Float32Array.from(samples), dims: [1, 512] },
      state: { type: 'float32', data: new Float32Array(256), dims: [2, 1, 128] },
      sr: { type: 'int64', data: BigInt64Array.from([16000n]), dims: [] },
    });
    await direct.dispose();
    const out = res.json().outputs;
    expect(out.output.dims).toEqual([1, 1]);
    expect(out.output.data[0]).toBeCloseTo(
      (want.output as { data: Float32Array }).data[0] as number,
      6,
    );
    const b64 = (
      await post('/v1/graph/vad/run', {
        ...sileroBody(samples),
        outputs: ['output'],
        output_encoding: 'base64',
      })
    ).json();
    expect(Object.keys(b64.outputs)).toEqual(['output']);
    const bytes = Buffer.from(b64.outputs.output.data, 'base64');
    expect(new Float32Array(bytes.buffer, bytes.byteOffset, 1)[0]).toBe(out.output.data[0]);
  });

  it('shows devices as `npu-first devices --json` does, and health', async () => {
    const devices = (await server.app.inject('/v1/devices')).json();
    const ids = devices.backends.map((b: { id: string }) => b.id);
    expect(ids.sort()).toEqual(['cpu-llamacpp', 'cpu-onnxruntime']);
    expect(devices.backends.every((b: { available: boolean }) => b.available)).toBe(true);
    const health = await server.app.inject('/healthz');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok', models: { tiny: 'loaded', vad: 'loaded' } });
  });

  it('counts requests, errors, latency and tokens per model and backend in /metrics', async () => {
    await post('/v1/chat/completions', {
      model: 'nope',
      messages: [{ role: 'user', content: 'x' }],
    });
    const text = (await server.app.inject('/metrics')).body;
    expect(text).toMatch(
      /npu_first_requests_total\{route="\/v1\/chat\/completions",model="tiny",backend="cpu-llamacpp",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /npu_first_request_errors_total\{model="none",backend="none",code="model_not_found"\} 1/,
    );
    expect(text).toMatch(
      /npu_first_tokens_total\{model="tiny",backend="cpu-llamacpp",kind="completion"\} [1-9]/,
    );
    expect(text).toMatch(
      /npu_first_request_duration_seconds_count\{route="\/v1\/graph\/:model\/run",model="vad",backend="cpu-onnxruntime"\} [1-9]/,
    );
    expect(text).toMatch(/npu_first_model_loaded\{model="vad"\} 1/);
  });
});
