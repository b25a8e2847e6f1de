import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModelDir, downloadGguf, downloadTimeoutMs, isModelUri } from './download-gguf.js';

describe('model downloads', () => {
  it('recognises URLs and hub references, and nothing else', () => {
    expect(isModelUri('https://example.com/m.gguf')).toBe(true);
    expect(isModelUri('hf:owner/repo:Q4_K_M')).toBe(true);
    expect(isModelUri('./models/m.gguf')).toBe(false);
    expect(isModelUri('ftp://example.com/m.gguf')).toBe(false);
  });

  it('keeps models under NPU_FIRST_MODELS_DIR, else the user cache', () => {
    expect(defaultModelDir({ NPU_FIRST_MODELS_DIR: '/srv/models' })).toBe('/srv/models');
    expect(defaultModelDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/npu-first/models');
  });

  it('waits 30 s for progress unless NPU_FIRST_DOWNLOAD_TIMEOUT_MS says otherwise', () => {
    expect(downloadTimeoutMs({})).toBe(30_000);
    expect(downloadTimeoutMs({ NPU_FIRST_DOWNLOAD_TIMEOUT_MS: '1500' })).toBe(1500);
    for (const bad of ['0', '-5', '1.5', 'soon']) {
      expect(() => downloadTimeoutMs({ NPU_FIRST_DOWNLOAD_TIMEOUT_MS: bad })).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTION',
          option: 'NPU_FIRST_DOWNLOAD_TIMEOUT_MS',
        }),
      );
    }
  });

  it('fails at once with MODEL_DOWNLOAD_FAILED when the host cannot be reached', async () => {
    // .invalid never resolves (RFC 2606), online or off.
    await expect(
      downloadGguf('https://models.invalid/tiny.gguf', { dir: '/tmp/npu-first-never' }),
    ).rejects.toMatchObject({
      code: 'MODEL_DOWNLOAD_FAILED',
      uri: 'https://models.invalid/tiny.gguf',
      reason: expect.stringContaining('download the file yourself'),
    });
    expect(existsSync('/tmp/npu-first-never')).toBe(false);
    await expect(downloadGguf('not a uri')).rejects.toMatchObject({
      code: 'MODEL_DOWNLOAD_FAILED',
    });
  });
});

/** Local servers on 127.0.0.1 that misbehave the ways real ones do. */
describe('model downloads from failing servers', () => {
  const TIMEOUT = 400;
  const sockets = new Set<Socket>();
  let dir: string;
  let models: string;
  let http: Server;
  let silent: TcpServer;
  let httpBase: string;
  let silentBase: string;
  let refusedBase: string;
  /** Bytes of the file the stalling route promises, of which it sends the first 1000. */
  const PROMISED = 1_000_000;
  const BODY = Buffer.from('GGUF'.repeat(2048));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'npu-first-download-'));
    http = createServer((request, response: ServerResponse) => {
      if (request.url === '/model.gguf') {
        response.writeHead(200, { 'content-length': BODY.length }).end(BODY);
      } else if (request.url === '/moved.gguf') {
        response.writeHead(302, { location: '/model.gguf' }).end();
      } else if (request.url === '/stall.gguf') {
        response.writeHead(200, { 'content-length': PROMISED });
        response.write(Buffer.alloc(1000, 7)); // …and nothing more, connection held open
      } else if (request.url === '/broken.gguf') {
        response.writeHead(500).end();
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
    await new Promise((done) => closed.close(done)); // nothing listens there now
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => http.close(done));
    await new Promise((done) => silent.close(done));
    await rm(dir, { recursive: true, force: true });
  });

  const fresh = (name: string) => {
    models = join(dir, name);
    return { dir: models, timeoutMs: TIMEOUT };
  };
  async function failure(uri: string, name: string) {
    const error = await downloadGguf(uri, fresh(name)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'MODEL_DOWNLOAD_FAILED', uri });
    expect(existsSync(models)).toBe(false); // no folder, so no partial file either
    return (error as { reason: string }).reason;
  }

  it('downloads a file, following redirects, into a folder it creates', async () => {
    const path = await downloadGguf(`${httpBase}/moved.gguf`, fresh('ok'));
    expect(path).toBe(join(models, 'moved.gguf')); // named as asked for
    expect(await readFile(path)).toEqual(BODY);
    expect(await readdir(models)).toEqual(['moved.gguf']);
  });

  it('a refused connection', async () => {
    expect(await failure(`${refusedBase}/model.gguf`, 'refused')).toMatch(
      /refused \(ECONNREFUSED\)/,
    );
  });

  it('a server that accepts and never answers', async () => {
    expect(await failure(`${silentBase}/model.gguf`, 'silent')).toMatch(
      /no answer from 127\.0\.0\.1:\d+ within 0\.4 s \(NPU_FIRST_DOWNLOAD_TIMEOUT_MS/,
    );
  });

  it('a missing file, and a failing server', async () => {
    expect(await failure(`${httpBase}/nope.gguf`, 'missing')).toMatch(/no such file \(HTTP 404/);
    expect(await failure(`${httpBase}/broken.gguf`, 'broken')).toMatch(/HTTP 500.*try again later/);
  });

  it('a server that stalls mid-file: cancelled, the partial file deleted', async () => {
    expect(await failure(`${httpBase}/stall.gguf`, 'stall')).toMatch(/no data arrived for 0\.4 s/);
  });

  it('an hf: reference when the hub cannot be reached', async () => {
    const previous = process.env.HF_ENDPOINT;
    process.env.HF_ENDPOINT = `${refusedBase}/`;
    try {
      expect(await failure('hf:owner/repo:Q4_K_M', 'hub')).toMatch(/ECONNREFUSED/);
    } finally {
      if (previous === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = previous;
    }
  });
});

async function listen(server: Server | TcpServer): Promise<string> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}
