import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Answer, answerOf } from './openai-error.js';
import { type RefusalCase, refusesEach } from './refusal-cases.js';
import {
  API_KEY,
  AUTH,
  JSON_AUTH,
  runVad,
  type ServeProcess,
  startServe,
  TINY_CONTEXT,
} from './serve-process.js';
import { stillServingThenStops } from './still-serving.js';

// Well-formed HTTP carrying a wrong request, against a real `npu-first serve` process: each
// must get its exact status and OpenAI's error object, naming the field, with no internals.

let server: ServeProcess;
beforeAll(async () => {
  server = await startServe();
});
afterAll(async () => {
  await server?.kill();
});
const dir = () => server.dir;

const send = async (path: string, init: RequestInit = {}): Promise<Answer> =>
  answerOf(await fetch(`${server.url}${path}`, init));
const post = (path: string, body: unknown, headers: Record<string, string> = JSON_AUTH) =>
  send(path, { method: 'POST', headers, body: JSON.stringify(body) });
const user = [{ role: 'user', content: 'hi' }];
/** A valid chat request with `fields` replaced (`undefined` leaves one out). */
const chatWith = (fields: Record<string, unknown>) =>
  post('/v1/chat/completions', { model: 'llm', messages: user, max_tokens: 4, ...fields });
const vadOn = (model: string) => runVad(server, undefined, model).then(answerOf);
const get = (path: string, authorization: string = AUTH.authorization) =>
  send(path, { headers: { authorization } });

const ASSISTANT_LAST = [{ role: 'assistant', content: 'x' }];

const fieldCases: Record<string, RefusalCase> = {
  'model as a number': [() => chatWith({ model: 5 }), 400, 'invalid_value', 'model'],
  'messages as a string': [() => chatWith({ messages: 'hi' }), 400, 'invalid_value', 'messages'],
  'content as a number': [
    () => chatWith({ messages: [{ role: 'user', content: 5 }] }),
    400,
    'invalid_value',
    'messages[0].content',
  ],
  'max_tokens as the string "5"': [
    () => chatWith({ max_tokens: '5' }),
    400,
    'invalid_value',
    'max_tokens',
  ],
  'temperature 3': [() => chatWith({ temperature: 3 }), 400, 'invalid_value', 'temperature'],
  'top_p 0': [() => chatWith({ top_p: 0 }), 400, 'invalid_value', 'top_p'],
  'seed 1.5': [() => chatWith({ seed: 1.5 }), 400, 'invalid_value', 'seed'],
  'stop as 5 strings': [() => chatWith({ stop: [...'abcde'] }), 400, 'invalid_value', 'stop'],
  'stream "yes"': [() => chatWith({ stream: 'yes' }), 400, 'invalid_value', 'stream'],
  'a chat without model': [
    () => chatWith({ model: undefined }),
    400,
    'missing_required_field',
    'model',
  ],
  'a chat without messages': [
    () => chatWith({ messages: undefined }),
    400,
    'missing_required_field',
    'messages',
  ],
  'a completion without prompt': [
    () => post('/v1/completions', { model: 'llm' }),
    400,
    'missing_required_field',
    'prompt',
  ],
  'embeddings without input': [
    () => post('/v1/embeddings', { model: 'llm' }),
    400,
    'missing_required_field',
    'input',
  ],
  'an empty messages array': [() => chatWith({ messages: [] }), 400, 'invalid_value', 'messages'],
  tools: [() => chatWith({ tools: [] }), 400, 'unsupported_field', 'tools'],
  'n: 2': [() => chatWith({ n: 2 }), 400, 'invalid_value', 'n'],
  'a message with role "tool"': [
    () => chatWith({ messages: [{ role: 'tool', content: 'x' }] }),
    400,
    'invalid_value',
    'messages[0].role',
  ],
  'a message with tool_calls': [
    () => chatWith({ messages: [{ role: 'user', content: 'x', tool_calls: [] }] }),
    400,
    'unsupported_field',
    'messages[0].tool_calls',
  ],
  'a last message from the assistant': [
    () => chatWith({ messages: ASSISTANT_LAST }),
    400,
    'invalid_input',
    'messages[0]',
  ],
  // Refused by core once the generation starts: still a 4xx, before any stream header.
  'a last message from the assistant, streamed': [
    () => chatWith({ messages: ASSISTANT_LAST, stream: true }),
    400,
    'invalid_input',
    'messages[0]',
  ],
  'max_tokens beyond the context, streamed': [
    () => chatWith({ max_tokens: TINY_CONTEXT * 4, stream: true }),
    400,
    'invalid_option',
    'max_tokens',
  ],
  'embeddings of an empty string': [
    () => post('/v1/embeddings', { model: 'llm', input: '' }),
    400,
    'invalid_value',
    'input',
  ],
};

const modelAndRouteCases: Record<string, RefusalCase> = {
  'an unknown model': [() => chatWith({ model: 'nope' }), 404, 'model_not_found', 'model'],
  'a chat on the ONNX model': [() => chatWith({ model: 'vad' }), 400, 'wrong_model_task', 'model'],
  'embeddings on the ONNX model': [
    () => post('/v1/embeddings', { model: 'vad', input: 'x' }),
    400,
    'wrong_model_task',
    'model',
  ],
  'a graph run on the GGUF': [() => vadOn('llm'), 400, 'wrong_model_task', 'model'],
  'a graph run on an unknown model': [() => vadOn('nope'), 404, 'model_not_found', 'model'],
  'GET of an unknown model': [() => get('/v1/models/nope'), 404, 'model_not_found', 'model'],
  'an unknown route': [() => post('/v1/nope', {}), 404, 'unknown_route', null],
  'GET on /v1/chat/completions': [
    () => get('/v1/chat/completions'),
    405,
    'method_not_allowed',
    null,
    { allow: 'POST' },
  ],
  'DELETE on /v1/models': [
    () => send('/v1/models', { method: 'DELETE', headers: AUTH }),
    405,
    'method_not_allowed',
    null,
    { allow: 'GET, HEAD' },
  ],
};

const CHALLENGE = { 'www-authenticate': 'Bearer' };
const authCases: Record<string, RefusalCase> = {
  'no Authorization header': [
    () => post('/v1/chat/completions', {}, { 'content-type': 'application/json' }),
    401,
    'missing_api_key',
    null,
    CHALLENGE,
  ],
  'a wrong key': [
    () => get('/v1/models', 'Bearer not-the-key-0123'),
    401,
    'invalid_api_key',
    null,
    CHALLENGE,
  ],
  'the key under the Basic scheme': [
    () => get('/v1/models', `Basic ${btoa(`x:${API_KEY}`)}`),
    401,
    'missing_api_key',
    null,
  ],
  // The key check goes by route: a URL that only ends in /healthz is not /healthz.
  'no key to /v1/models?/healthz': [
    () => send('/v1/models?/healthz'),
    401,
    'missing_api_key',
    null,
  ],
  'no key to /v1/models/healthz': [() => send('/v1/models/healthz'), 401, 'missing_api_key', null],
  'no key to an unknown route': [() => send('/v1/nope'), 401, 'missing_api_key', null],
};

refusesEach('bad request fields get their status and an OpenAI error', fieldCases, dir);
refusesEach('requests for no such model, route or method', modelAndRouteCases, dir);
refusesEach('requests without the right key', authCases, dir);

it('answers /healthz without a key', async () => {
  const health = await fetch(`${server.url}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok' });
});

it('refuses at least 25 distinct malformed requests in this file alone', () => {
  const names = [fieldCases, modelAndRouteCases, authCases].flatMap(Object.keys);
  expect(new Set(names).size).toBe(names.length);
  expect(names.length).toBeGreaterThanOrEqual(25);
});

stillServingThenStops(() => server);
