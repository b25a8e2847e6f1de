import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, type ServeProcess, startServe } from './serve-process.js';

/**
 * `npu-first serve` as a real process on 127.0.0.1, driven by clients nobody here wrote: the
 * official `openai` package and curl.
 */
const KEY = API_KEY;
const run = promisify(execFile);
const hasCurl = await run('curl', ['--version']).then(
  () => true,
  () => false,
);

let server: ServeProcess;
let client: OpenAI;

beforeAll(async () => {
  // The key from the environment (the way that keeps it out of `ps`); the other files pass the flag.
  server = await startServe([], { keyFrom: 'env' });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: KEY, maxRetries: 0 });
}, 120_000);
afterAll(async () => {
  await server?.kill();
});

describe('the official openai client', () => {
  it('lists and retrieves models', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(['llm', 'vad']);
    expect((await client.models.retrieve('vad')).id).toBe('vad');
  });

  it('gets a chat completion with usage, and where it ran from the raw response', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'llm',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 5,
        seed: 3,
      })
      .withResponse();
    expect(data.choices[0]?.message.role).toBe('assistant');
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(data.usage?.total_tokens).toBe(
      (data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0),
    );
    expect(response.headers.get('x-npu-first-backend')).toBe('cpu-llamacpp');
    expect((data as unknown as { npu_first: { backend: string } }).npu_first.backend).toBe(
      'cpu-llamacpp',
    );
  });

  it('streams a chat: the chunks add up to the non-streamed answer', async () => {
    const request = {
      model: 'llm',
      messages: [{ role: 'user' as const, content: 'tell me' }],
      max_tokens: 8,
      seed: 3,
    };
    const whole = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({ ...request, stream: true });
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(finish).toBe(whole.choices[0]?.finish_reason);
    expect(usage?.completion_tokens).toBe(whole.usage?.completion_tokens);
  });

  it('gets a completion and embeddings (the client asks for base64 and decodes it)', async () => {
    const completion = await client.completions.create({
      model: 'llm',
      prompt: 'once',
      max_tokens: 4,
    });
    expect(typeof completion.choices[0]?.text).toBe('string');
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    const embeddings = await client.embeddings.create({
      model: 'llm',
      input: ['red', 'blue', 'red'],
    });
    const [red, blue, again] = embeddings.data.map((d) => d.embedding);
    expect(red?.length).toBeGreaterThan(0);
    expect(again).toEqual(red);
    expect(blue).not.toEqual(red);
    expect(embeddings.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('raises typed errors with status, code and param', async () => {
    const error = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => e,
      );
    const missing = await error(
      client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    const invalid = await error(
      client.chat.completions.create({
        model: 'llm',
        messages: [{ role: 'user', content: 'x' }],
        max_tokens: 0,
      }),
    );
    expect(invalid).toBeInstanceOf(OpenAI.BadRequestError);
    expect(invalid).toMatchObject({ status: 400, param: 'max_tokens' });
    const wrongKey = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'wrong', maxRetries: 0 });
    const denied = await error(wrongKey.models.list());
    expect(denied).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(denied).toMatchObject({ status: 401, code: 'invalid_api_key' });
  });
});

describe.skipIf(!hasCurl)('curl', () => {
  const curl = async (...args: string[]) =>
    (await run('curl', ['-sS', '-H', `Authorization: Bearer ${KEY}`, ...args])).stdout;

  it('streams a chat completion ending with [DONE]', async () => {
    const out = await curl(
      '-N',
      `${server.url}/v1/chat/completions`,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"model":"llm","messages":[{"role":"user","content":"hi"}],"stream":true,"max_tokens":4}',
    );
    const events = out.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(JSON.parse((events.at(-2) as string).slice(6)).usage.completion_tokens).toBeGreaterThan(
      0,
    );
  });

  it('runs Silero through the graph route and shows the placement headers', async () => {
    const body = JSON.stringify({
      inputs: {
        input: { dtype: 'float32', dims: [1, 512], data: new Array(512).fill(0) },
        state: { dtype: 'float32', dims: [2, 1, 128], data: new Array(256).fill(0) },
        sr: { dtype: 'int64', dims: [], data: [16000] },
      },
    });
    const out = await curl(
      '-i',
      `${server.url}/v1/graph/vad/run`,
      '-H',
      'Content-Type: application/json',
      '-d',
      body,
    );
    const [head, json] = out.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    expect(head).toMatch(/x-npu-first-backend: cpu-onnxruntime/i);
    expect(JSON.parse(json as string).outputs.output.dims).toEqual([1, 1]);
  });

  it('reads health without a key, and Prometheus metrics with it', async () => {
    const health = (await run('curl', ['-sS', `${server.url}/healthz`])).stdout;
    expect(JSON.parse(health).status).toBe('ok');
    const metrics = await curl(`${server.url}/metrics`);
    expect(metrics).toMatch(/^# HELP npu_first_requests_total/m);
  });
});

describe('shutdown', () => {
  it('on SIGTERM finishes the generation in flight, then exits 0', async () => {
    const pending = client.chat.completions.create({
      model: 'llm',
      messages: [{ role: 'user', content: 'a long one' }],
      max_tokens: 120,
    });
    // Let the request reach the model before the signal.
    while (
      !(
        await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } }).then(
          (r) => r.text(),
        )
      ).includes('npu_first_model_requests_in_queue{model="llm"} 1')
    )
      await new Promise((r) => setTimeout(r, 20));
    server.child.kill('SIGTERM');
    const answer = await pending;
    expect(answer.choices[0]?.finish_reason).toBe('length');
    expect(answer.usage?.completion_tokens).toBe(120);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toMatch(/SIGTERM: finishing requests in flight/);
  });
});
