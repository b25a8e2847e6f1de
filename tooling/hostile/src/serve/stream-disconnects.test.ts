import { afterAll, beforeAll, expect, it } from 'vitest';
import { answerOf, expectOpenAiError } from './openai-error.js';
import {
  alive,
  chat,
  metric,
  type ServeProcess,
  startServe,
  TINY_CONTEXT,
  untilMetric,
} from './serve-process.js';
import { stillServingThenStops } from './still-serving.js';

// Streams cut short and a full queue, against a real `npu-first serve` process that admits
// one request per model (`--max-queue 1`). No timing is asserted: the server's own metrics
// say what happened to each request.

let server: ServeProcess;
beforeAll(async () => {
  server = await startServe(['--max-queue', '1']);
});
afterAll(async () => {
  await server?.kill();
});

// Any backend: the placement may differ on a machine with a GPU.
const REQUESTS = 'npu_first_requests_total';
const ABORTED = { route: '/v1/chat/completions', model: 'llm', status: '499' };
const QUEUE = 'npu_first_model_requests_in_queue';

/**
 * A streamed chat long enough to still run while the test acts (most of the context), read
 * up to its first event. `abort()` hangs up on it.
 */
async function openLongStream() {
  const controller = new AbortController();
  const response = await chat(
    server,
    { stream: true, max_tokens: TINY_CONTEXT - 32 },
    { signal: controller.signal },
  );
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  expect(first).toMatch(/^data: \{/);
  return {
    abort: () => {
      controller.abort();
      void reader.cancel().catch(() => {});
    },
  };
}

it('answers a second request 429 queue_full with Retry-After while a stream holds the model', async () => {
  const aborted = await metric(server, REQUESTS, ABORTED);
  const stream = await openLongStream();
  try {
    const refused = await answerOf(await chat(server));
    expectOpenAiError(
      refused,
      { status: 429, code: 'queue_full', param: null, headers: { 'retry-after': /^[1-9]\d*$/ } },
      server.dir,
    );
  } finally {
    stream.abort();
  }
  // The hang-up frees the model: recorded as 499, and the queue is empty again.
  expect(await untilMetric(server, REQUESTS, ABORTED, aborted + 1)).toBe(aborted + 1);
  expect(await metric(server, QUEUE, { model: 'llm' })).toBe(0);
});

it('stops a stream whose client hangs up after the first chunk, records 499, and serves the next', async () => {
  const aborted = await metric(server, REQUESTS, ABORTED);
  const stream = await openLongStream();
  stream.abort();
  expect(await untilMetric(server, REQUESTS, ABORTED, aborted + 1)).toBe(aborted + 1);
  // With one place in the queue, this is only admitted because the stopped stream let go.
  const next = await chat(server);
  expect(next.status).toBe(200);
  expect(await next.json()).toMatchObject({ object: 'chat.completion', model: 'llm' });
  expect(alive(server)).toBe(true);
});

stillServingThenStops(() => server);
