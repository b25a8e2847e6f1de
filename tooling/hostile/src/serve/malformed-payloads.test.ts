import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Answer, answerOf } from './openai-error.js';
import { rawExchange, responsesIn } from './raw-http.js';
import { type RefusalCase, refusesEach } from './refusal-cases.js';
import {
  AUTH,
  alive,
  JSON_AUTH,
  runVad,
  type ServeProcess,
  sileroInputs,
  startServe,
} from './serve-process.js';
import { stillServingThenStops } from './still-serving.js';

// Payloads the server cannot read — broken HTTP framing, bodies that are not JSON or are too
// big, tensors that do not fit the model — against a real `npu-first serve` process. Raw
// sockets send what fetch will not (a lying Content-Length, broken chunking, no HTTP at all).

const BODY_LIMIT = 64 * 1024;
let server: ServeProcess;
beforeAll(async () => {
  server = await startServe(['--body-limit', String(BODY_LIMIT)]);
});
afterAll(async () => {
  await server?.kill();
});
const dir = () => server.dir;

const postRaw = async (body: string | Uint8Array, headers: Record<string, string> = JSON_AUTH) =>
  answerOf(await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers, body }));
const CHAT = JSON.stringify({ model: 'llm', messages: [{ role: 'user', content: 'hi' }] });
/** The head of a chat POST, up to its blank line, with `headers` added. */
const head = (...headers: string[]) =>
  [
    'POST /v1/chat/completions HTTP/1.1',
    'Host: 127.0.0.1',
    `Authorization: ${AUTH.authorization}`,
    'Content-Type: application/json',
    ...headers,
    '',
    '',
  ].join('\r\n');
/**
 * The last answer on a raw connection (an earlier one may answer a request the bytes after it
 * spoil); every answer on it must be a 4xx.
 */
const raw = async (parts: string[], then?: 'half-close'): Promise<Answer> => {
  const answers = responsesIn(await rawExchange(server.url, parts, then));
  expect(answers.map((a) => Math.floor(a.status / 100))).toEqual(answers.map(() => 4));
  const last = answers.at(-1);
  if (!last) throw new Error('the server closed the connection without an answer');
  return last;
};

const bodyCases: Record<string, RefusalCase> = {
  'invalid JSON': [() => postRaw('{"model":'), 400, 'invalid_json', null],
  'an empty JSON body': [() => postRaw(''), 400, 'invalid_json', null],
  'a JSON array': [() => postRaw('[]'), 400, 'invalid_value', null],
  'a __proto__ key': [
    () => postRaw('{"__proto__":{"x":1},"model":"llm"}'),
    400,
    'invalid_json',
    null,
  ],
  'a text/plain body': [
    () => postRaw(CHAT, { ...AUTH, 'content-type': 'text/plain' }),
    415,
    'unsupported_media_type',
    null,
  ],
  'a JSON body without Content-Type': [
    // Bytes, not a string: fetch would label a string text/plain.
    () => postRaw(new TextEncoder().encode(CHAT), AUTH),
    415,
    'unsupported_media_type',
    null,
  ],
  '1 MB against a 64 KiB limit': [
    () =>
      postRaw(
        JSON.stringify({
          model: 'llm',
          messages: [{ role: 'user', content: 'x'.repeat(2 ** 20) }],
        }),
      ),
    413,
    'request_too_large',
    null,
  ],
};

const framingCases: Record<string, RefusalCase> = {
  'a request line that is not HTTP': [
    () => raw(['HELLO SERVER\r\n\r\n']),
    400,
    'malformed_http',
    null,
  ],
  'a chunk size that is not hex': [
    () => raw([head('Transfer-Encoding: chunked'), 'ZZ\r\n{}\r\n0\r\n\r\n']),
    400,
    'malformed_http',
    null,
  ],
  'both Content-Length and Transfer-Encoding': [
    () => raw([head('Content-Length: 5', 'Transfer-Encoding: chunked'), '0\r\n\r\n']),
    400,
    'malformed_http',
    null,
  ],
  '20 KB of headers': [
    () => raw([head(`X-Padding: ${'a'.repeat(20_000)}`)]),
    431,
    'headers_too_large',
    null,
  ],
  'JSON longer than its Content-Length': [
    () => raw([head('Content-Length: 10') + CHAT]),
    400,
    'malformed_http',
    null,
  ],
  'JSON shorter than its Content-Length, then half-close': [
    () => raw([head(`Content-Length: ${CHAT.length + 100}`) + CHAT], 'half-close'),
    400,
    'malformed_http',
    null,
  ],
  'headers cut off, then half-close': [
    () =>
      raw(['POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty'], 'half-close'),
    400,
    'malformed_http',
    null,
  ],
};

/** Silero's valid inputs with `name` replaced (`undefined` leaves it out). */
const vadWith = (name: string, tensor: unknown, extra: Record<string, unknown> = {}) =>
  runVad(server, { inputs: { ...sileroInputs(), [name]: tensor }, ...extra }).then(answerOf);
const zeros = (n: number) => new Array(n).fill(0);

const tensorCases: Record<string, RefusalCase> = {
  'an unknown input name': [
    () => vadWith('bogus', { dtype: 'float32', dims: [1], data: [0] }),
    400,
    'invalid_input',
    'inputs.bogus',
  ],
  "float64 for Silero's float32 input": [
    () => vadWith('input', { dtype: 'float64', dims: [1, 512], data: zeros(512) }),
    400,
    'invalid_input',
    'inputs.input',
  ],
  'dims whose product is not the data length': [
    () => vadWith('input', { dtype: 'float32', dims: [1, 511], data: zeros(512) }),
    400,
    'invalid_input',
    'inputs.input.data',
  ],
  'base64 data of the wrong length': [
    () => vadWith('input', { dtype: 'float32', dims: [1, 512], data: 'AAAAAAAA' }),
    400,
    'invalid_input',
    'inputs.input.data',
  ],
  'an int64 value that is not an integer': [
    () => vadWith('sr', { dtype: 'int64', dims: [], data: [16000.5] }),
    400,
    'invalid_input',
    'inputs.sr.data[0]',
  ],
  'a dtype not in the list': [
    () => vadWith('input', { dtype: 'complex64', dims: [1, 512], data: zeros(512) }),
    400,
    'invalid_value',
    'inputs.input.dtype',
  ],
  'an unknown output name': [
    () => vadWith('input', sileroInputs().input, { outputs: ['nope'] }),
    400,
    'invalid_option',
    'outputs',
  ],
  'no feed for a required input': [
    () => vadWith('state', undefined),
    400,
    'invalid_input',
    'inputs.state',
  ],
  'dims of 10^18 elements': [
    () => vadWith('input', { dtype: 'float32', dims: [1e9, 1e9], data: [] }),
    400,
    'invalid_input',
    'inputs.input',
  ],
  'a negative dim': [
    () => vadWith('input', { dtype: 'float32', dims: [-1, 512], data: zeros(512) }),
    400,
    'invalid_value',
    'inputs.input.dims[0]',
  ],
  'no inputs at all': [
    () => runVad(server, { inputs: {} }).then(answerOf),
    400,
    'invalid_value',
    'inputs',
  ],
};

refusesEach('bodies that are not JSON, or too big', bodyCases, dir);
refusesEach('broken HTTP framing, sent on raw sockets', framingCases, dir);
refusesEach('graph tensors that do not fit the model', tensorCases, dir);

it('survives a POST whose client hangs up after the headers', async () => {
  const before = server.stderr();
  expect(await rawExchange(server.url, [head('Content-Length: 100')], 'hang-up')).toBe('');
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  expect(alive(server)).toBe(true);
  // A client that went away is not a server failure: nothing logged as one.
  expect(server.stderr().slice(before.length)).not.toMatch(/chat\/completions/);
});

stillServingThenStops(() => server);
