import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCpuLlamaBackend, createCpuOnnxBackend } from '@npu-first/backend-cpu';
import { createRuntime } from '@npu-first/core';
import { createServer, type NpuFirstServer } from '@npu-first/server';
import { writeTinyLlamaGguf } from '@npu-first/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SILERO_PATH } from '../options/silero-model.js';
import { faultyBackend } from './__fixtures__/faulty-backend.js';
import { FIRST } from './silero-cases.js';

/**
 * Failover seen from an HTTP client: the request that met the lost device is answered by the
 * next backend, and its headers, body and the metrics say so.
 */
let server: NpuFirstServer;
const lines: string[] = [];

beforeAll(async () => {
  const gpuOnnx = faultyBackend(createCpuOnnxBackend(), 'gpu-onnx-fixture', 'gpu', {
    run: (n) => (n >= 2 ? 'fail' : undefined),
  });
  const gpuLlama = faultyBackend(createCpuLlamaBackend(), 'gpu-llama-fixture', 'gpu', {
    failAfterChunks: 2,
  });
  const runtime = await createRuntime({
    backends: [gpuOnnx, gpuLlama, createCpuOnnxBackend(), createCpuLlamaBackend()],
    policy: FIRST,
    env: {},
  });
  const gguf = await writeTinyLlamaGguf(await mkdtemp(join(tmpdir(), 'npu-first-serve-fo-')));
  server = await createServer({
    runtime,
    models: [
      { name: 'vad', path: SILERO_PATH },
      { name: 'tiny', path: gguf },
    ],
    log: (line) => lines.push(line),
  });
});
afterAll(() => server.close());

const vadBody = {
  inputs: {
    input: { dtype: 'float32', dims: [1, 512], data: new Array(512).fill(0.1) },
    state: { dtype: 'float32', dims: [2, 1, 128], data: new Array(256).fill(0) },
    sr: { dtype: 'int64', dims: [], data: [16000] },
  },
};

describe('failover through the server', () => {
  it('answers the graph request that met a lost device from the next backend, and says so', async () => {
    const run = () =>
      server.app.inject({ method: 'POST', url: '/v1/graph/vad/run', payload: vadBody });
    const first = await run();
    expect(first.headers['x-npu-first-backend']).toBe('gpu-onnx-fixture');
    const moved = await run();
    expect(moved.statusCode).toBe(200);
    expect(moved.headers['x-npu-first-backend']).toBe('cpu-onnxruntime');
    expect(moved.json().npu_first).toMatchObject({ backend: 'cpu-onnxruntime', failovers: 1 });
    expect(moved.json().outputs.output.data).toEqual(first.json().outputs.output.data);
    const metrics = (await server.app.inject('/metrics')).body;
    expect(metrics).toMatch(
      /npu_first_failovers_total\{model="vad",from="gpu-onnx-fixture",to="cpu-onnxruntime"\} 1/,
    );
    // The request that moved is counted under the backend that answered it.
    expect(metrics).toMatch(
      /npu_first_requests_total\{route="\/v1\/graph\/:model\/run",model="vad",backend="cpu-onnxruntime",status="200"\} 1/,
    );
    expect(lines.join('\n')).toMatch(
      /vad: failover gpu-onnx-fixture → cpu-onnxruntime: .*device lost/,
    );
  });

  it('never hands a client the partial text of a stream cut by a lost device', async () => {
    const chat = (stream: boolean) =>
      server.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        payload: {
          model: 'tiny',
          messages: [{ role: 'user', content: 'hi' }],
          max_tokens: 6,
          stream,
        },
      });
    const cut = await chat(true);
    const events = cut.body.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const error = JSON.parse((events.at(-2) as string).slice(6));
    expect(error.error).toMatchObject({ code: 'stream_interrupted', type: 'service_unavailable' });
    expect(events.some((e) => e.includes('"finish_reason":"length"'))).toBe(false);
    // The model moved: the next request is served whole by the CPU.
    const next = await chat(false);
    expect(next.statusCode).toBe(200);
    expect(next.headers['x-npu-first-backend']).toBe('cpu-llamacpp');
    expect(next.json().usage.completion_tokens).toBe(6);
  });
});
