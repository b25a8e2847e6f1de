import diagnostics from 'node:diagnostics_channel';
import { readdir, rmdir, stat } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { envMilliseconds, ModelDownloadError, messageOf } from '@npu-first/core';
import { loadNodeLlamaCpp } from './load-node-llama-cpp.js';

/** Where downloaded models are kept unless the caller says otherwise. */
export function defaultModelDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return (
    env.NPU_FIRST_MODELS_DIR ??
    join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'npu-first', 'models')
  );
}

/** True for what `downloadGguf` accepts: `https://…`, `http://…` or a hub reference `hf:owner/repo[:quant]`. */
export function isModelUri(value: string): boolean {
  return /^(https?:\/\/|hf:)/i.test(value);
}

export interface DownloadProgress {
  readonly downloadedBytes: number;
  readonly totalBytes: number;
}

/** The environment variable that sets {@link downloadTimeoutMs}. */
export const DOWNLOAD_TIMEOUT_ENV = 'NPU_FIRST_DOWNLOAD_TIMEOUT_MS';
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * How long a download may go without progress, in ms: to connect and get the server's answer,
 * and then between bytes. `NPU_FIRST_DOWNLOAD_TIMEOUT_MS` (unset or blank: 30 s); anything but a
 * whole number ≥ 1 is `INVALID_OPTION`.
 */
export function downloadTimeoutMs(
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  return envMilliseconds(env, DOWNLOAD_TIMEOUT_ENV) ?? DEFAULT_TIMEOUT_MS;
}

/**
 * Downloads a GGUF model with node-llama-cpp's downloader (parallel, skips files already
 * there) and returns its path. Only ever called when the user asks for a URL or hub reference.
 *
 * Every failure is `MODEL_DOWNLOAD_FAILED`, fast: one request of its own first (connect and the
 * answer's headers within `timeoutMs`, redirects followed) turns a refused connection, a TLS
 * error, a 404 or a silent server into an error at once — node-llama-cpp's downloader would
 * retry for minutes. The download is then cancelled when no byte arrives for `timeoutMs`. The
 * models folder is created only once the download starts, and a failed download leaves no
 * partial file, nor the folder if it made it.
 */
export async function downloadGguf(
  uri: string,
  options: {
    dir?: string;
    onProgress?: (progress: DownloadProgress) => void;
    signal?: AbortSignal;
    /** No-progress time-out in ms; default {@link downloadTimeoutMs}. */
    timeoutMs?: number;
  } = {},
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? downloadTimeoutMs();
  const dir = resolve(options.dir ?? defaultModelDir());
  const connections = new Connections();
  let hosts: ReadonlySet<string> = new Set();
  try {
    hosts = await probe(uri, probeUrl(uri), timeoutMs, options.signal);
    return await download(uri, dir, timeoutMs, options);
  } finally {
    connections.close(hosts);
  }
}

async function download(
  uri: string,
  dir: string,
  timeoutMs: number,
  options: { onProgress?: (progress: DownloadProgress) => void; signal?: AbortSignal },
): Promise<string> {
  const nlc = await loadNodeLlamaCpp();
  const dirExisted = await exists(dir);
  const stall = new Stall(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, stall.signal]) : stall.signal;
  let downloader: Awaited<ReturnType<typeof nlc.createModelDownloader>> | undefined;
  try {
    // Resolving and the downloader's own first request cannot be cancelled, only outrun.
    downloader = await Promise.race([
      nlc.createModelDownloader({
        modelUri: uri,
        dirPath: dir,
        showCliProgress: false,
        skipExisting: true,
        deleteTempFileOnCancel: true,
        onProgress: ({
          downloadedSize,
          totalSize,
        }: {
          downloadedSize: number;
          totalSize: number;
        }) => {
          stall.progress(downloadedSize);
          options.onProgress?.({ downloadedBytes: downloadedSize, totalBytes: totalSize });
        },
      }),
      aborted(signal),
    ]);
    stall.restart();
    const path = await downloader.download({ signal });
    // A cancelled download can end without an error: the signal says what happened.
    if (signal.aborted) throw signal.reason;
    return path;
  } catch (error) {
    await downloader?.cancel({ deleteTempFile: true }).catch(() => {});
    if (!dirExisted) await removeIfEmpty(dir);
    if (ModelDownloadError.isInstance(error)) throw error;
    if (options.signal?.aborted && error === options.signal.reason) throw error;
    throw new ModelDownloadError(uri, explain(error, timeoutMs), { cause: error });
  } finally {
    stall.stop();
  }
}

/** Where the first request goes: the URL itself, or for `hf:` the hub node-llama-cpp asks. */
function probeUrl(uri: string): string {
  if (uri.toLowerCase().startsWith('hf:')) {
    return process.env.MODEL_ENDPOINT ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co/';
  }
  return uri;
}

/**
 * One bounded request before the downloader's unbounded ones: a ranged GET (one byte), whose
 * body is dropped once the headers are in. 401 and 403 pass: the downloader sends the
 * Hugging Face token (`HF_TOKEN`) this request does not. Returns the host names it went to.
 */
async function probe(
  uri: string,
  url: string,
  timeoutMs: number,
  userSignal: AbortSignal | undefined,
): Promise<Set<string>> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ModelDownloadError(uri, 'not a valid URL or hf:owner/repo[:file] reference');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ModelDownloadError(uri, `${parsed.protocol} URLs are not supported: use https://`);
  }
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = userSignal ? AbortSignal.any([userSignal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(parsed, {
      headers: { range: 'bytes=0-0', 'accept-encoding': 'identity' },
      redirect: 'follow',
      signal,
    });
  } catch (error) {
    if (userSignal?.aborted && !timeout.aborted) throw userSignal.reason;
    throw new ModelDownloadError(uri, explain(error, timeoutMs, parsed.host), { cause: error });
  }
  await response.body?.cancel().catch(() => {});
  const { status } = response;
  if (status < 400 || status === 401 || status === 403) {
    return new Set([parsed.hostname, new URL(response.url || url).hostname]);
  }
  const what = status === 404 || status === 410 ? 'no such file' : 'an error';
  const hint =
    status >= 500 || status === 429
      ? 'the server is failing or busy; try again later'
      : 'check the URL (hf: references: the owner, repository and file names)';
  throw new ModelDownloadError(
    uri,
    `the server answered ${what} (HTTP ${status} ${response.statusText}) for ${response.url || url}; ${hint}`,
  );
}

/**
 * The connections opened while a download runs (seen on undici's diagnostics channel), so
 * those to its hosts can be closed when it ends: node-llama-cpp's downloader leaves the one it
 * asks the file's size on open with the body unread, which would keep the process alive for as
 * long as the server holds it.
 */
class Connections {
  private readonly sockets = new Map<Socket, string>();
  private readonly onConnected = (message: unknown) => {
    const { connectParams, socket } = message as {
      connectParams?: { hostname?: string };
      socket?: Socket;
    };
    if (socket) this.sockets.set(socket, connectParams?.hostname ?? '');
  };

  constructor() {
    diagnostics.subscribe('undici:client:connected', this.onConnected);
  }

  close(hosts: ReadonlySet<string>): void {
    diagnostics.unsubscribe('undici:client:connected', this.onConnected);
    for (const [socket, host] of this.sockets) if (hosts.has(host)) socket.destroy();
    this.sockets.clear();
  }
}

/** A watchdog that aborts its signal when {@link progress} has not advanced for `ms`. */
class Stall {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private bytes = -1;

  constructor(private readonly ms: number) {
    this.restart();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  progress(bytes: number): void {
    if (bytes === this.bytes) return;
    this.bytes = bytes;
    this.restart();
  }

  restart(): void {
    this.stop();
    this.timer = setTimeout(() => {
      const reason = `no data arrived for ${seconds(this.ms)} (${DOWNLOAD_TIMEOUT_ENV} sets the time-out)`;
      this.controller.abort(Object.assign(new Error(reason), { code: 'ETIMEDOUT' }));
    }, this.ms);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function removeIfEmpty(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => undefined);
  if (names?.length === 0) await rmdir(dir).catch(() => {});
}

const TLS_CODES =
  /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;
const OFFLINE_HINT =
  'connect to the internet, or download the file yourself and pass its path to `run`';

/** Why a request failed, in words, with what to do about it. */
function explain(error: unknown, timeoutMs: number, host?: string): string {
  const text = messageOf(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code ?? '';
  const name = (error as { name?: string }).name;
  const where = host ? ` ${host}` : '';
  if (name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `no answer from${where || ' the server'} within ${seconds(timeoutMs)} (${DOWNLOAD_TIMEOUT_ENV} sets the time-out); check the URL and your connection`;
  }
  if (code === 'ETIMEDOUT') return `${text}; try again, or ${OFFLINE_HINT}`;
  if (code === 'ECONNREFUSED') {
    return `the connection to${where || ' the server'} was refused (ECONNREFUSED): nothing is serving there; check the URL, or ${OFFLINE_HINT}`;
  }
  if (TLS_CODES.test(code)) {
    return `the secure connection to${where || ' the server'} failed (${code}: ${cause?.message ?? text}); check the URL, the system clock and any proxy`;
  }
  if (
    /ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ECONNRESET|fetch failed/i.test(`${text} ${code}`)
  ) {
    return `the network is unreachable (${code || text}); ${OFFLINE_HINT}`;
  }
  return text;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
