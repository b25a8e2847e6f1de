import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ended, errorCode, runNode } from '../cli-process.js';

/**
 * `npu-first pull` against what it cannot download: other schemes and local paths (refused as
 * usage mistakes), and local servers on 127.0.0.1 that refuse, never answer, answer 404 or
 * stall mid-file. Each must fail at once with its typed code, the process exiting by itself,
 * and leave no models folder (so no partial file) behind. A refused port once hung for 600 s.
 */
const sockets = new Set<Socket>();
let dir: string;
let http: Server;
let silent: TcpServer;
let httpBase: string;
let silentBase: string;
let refusedBase: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npu-first-hostile-pull-'));
  http = createServer((request, response) => {
    if (request.url === '/stall.gguf') {
      response.writeHead(200, { 'content-length': 1_000_000 });
      response.write(Buffer.alloc(1000, 7)); // …then nothing, the connection held open
    } else {
      response.writeHead(404).end();
    }
  });
  silent = createTcpServer(() => {}); // accepts, never answers
  for (const server of [http, silent]) {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  httpBase = await listen(http);
  silentBase = await listen(silent);
  const closed = createTcpServer();
  refusedBase = await listen(closed);
  await new Promise((done) => closed.close(done));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((done) => http.close(done));
  await new Promise((done) => silent.close(done));
  await rm(dir, { recursive: true, force: true });
});

/** `pull uri` into a models folder that does not exist yet, with a short time-out. */
async function pull(uri: string, name: string): Promise<{ ended: Ended; models: string }> {
  const models = join(dir, name);
  const ended = await runNode(['pull', uri, '--models-dir', models, '--json'], {
    timeoutMs: 60_000,
    env: { NPU_FIRST_DOWNLOAD_TIMEOUT_MS: '1000', NPU_FIRST_MODELS_DIR: models },
  });
  expect(ended.hung).toBe(false);
  expect(existsSync(models)).toBe(false);
  return { ended, models };
}

function reasonOf(ended: Ended): string {
  return (JSON.parse(ended.stdout) as { error: { reason: string } }).error.reason;
}

describe('pull refuses what it does not download', () => {
  it('another scheme: INVALID_OPTION, exit 2', async () => {
    const { ended } = await pull('ftp://127.0.0.1/model.gguf', 'ftp');
    expect(ended.code).toBe(2);
    expect(errorCode(ended)).toBe('INVALID_OPTION');
    expect(ended.stdout).toContain('ftp:// is not supported: pass an https:// URL or hf:owner');
  });

  it('a local path: INVALID_OPTION, saying what to do with the file instead', async () => {
    const { ended } = await pull('./models/tiny.gguf', 'local');
    expect(ended.code).toBe(2);
    expect(errorCode(ended)).toBe('INVALID_OPTION');
    expect(ended.stdout).toContain('pass its path to `npu-first run`');
  });
});

describe('pull from servers that fail', () => {
  it('a refused connection fails at once', async () => {
    const { ended } = await pull(`${refusedBase}/model.gguf`, 'refused');
    expect([ended.code, errorCode(ended)]).toEqual([1, 'MODEL_DOWNLOAD_FAILED']);
    expect(reasonOf(ended)).toContain('refused (ECONNREFUSED)');
  });

  it('a server that never answers: the time-out, named', async () => {
    const { ended } = await pull(`${silentBase}/model.gguf`, 'silent');
    expect([ended.code, errorCode(ended)]).toEqual([1, 'MODEL_DOWNLOAD_FAILED']);
    expect(reasonOf(ended)).toMatch(/no answer from 127\.0\.0\.1:\d+ within 1 s/);
  });

  it('a missing file: the 404', async () => {
    const { ended } = await pull(`${httpBase}/nope.gguf`, 'missing');
    expect([ended.code, errorCode(ended)]).toEqual([1, 'MODEL_DOWNLOAD_FAILED']);
    expect(reasonOf(ended)).toContain('HTTP 404');
  });

  it('a server that stalls mid-file: cancelled, nothing left behind', async () => {
    const { ended } = await pull(`${httpBase}/stall.gguf`, 'stall');
    expect([ended.code, errorCode(ended)]).toEqual([1, 'MODEL_DOWNLOAD_FAILED']);
    expect(reasonOf(ended)).toContain('no data arrived for 1 s');
  });

  it('an hf: reference when the hub refuses', async () => {
    const models = join(dir, 'hub');
    const ended = await runNode(['pull', 'hf:owner/repo:Q4_K_M', '--models-dir', models], {
      timeoutMs: 60_000,
      env: { HF_ENDPOINT: `${refusedBase}/`, NPU_FIRST_DOWNLOAD_TIMEOUT_MS: '1000' },
    });
    expect([ended.hung, ended.code, errorCode(ended)]).toEqual([false, 1, 'MODEL_DOWNLOAD_FAILED']);
    expect(existsSync(models)).toBe(false);
  });

  it('a bad NPU_FIRST_DOWNLOAD_TIMEOUT_MS is a usage mistake', async () => {
    const ended = await runNode(['pull', `${httpBase}/nope.gguf`, '--models-dir', dir], {
      env: { NPU_FIRST_DOWNLOAD_TIMEOUT_MS: 'soon' },
    });
    expect([ended.code, errorCode(ended)]).toEqual([2, 'INVALID_OPTION']);
    expect(ended.stderr).toContain('NPU_FIRST_DOWNLOAD_TIMEOUT_MS');
  });
});

async function listen(server: Server | TcpServer): Promise<string> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}
