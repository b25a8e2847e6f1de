import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyLlamaGguf } from '@npu-first/testkit';
import { CLI_BIN } from '../cli-process.js';
import { SILERO_PATH } from '../options/silero-model.js';

/** The key every test server requires; requests send it unless a case is about auth. */
export const API_KEY = 'hostile-test-key-0123456789';
export const AUTH = { authorization: `Bearer ${API_KEY}` } as const;
export const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' } as const;

/** The tiny GGUF's context: `max_tokens` up to about this leaves a generation running a while. */
export const TINY_CONTEXT = 512;

/** A running `npu-first serve` child process, serving `llm` (the tiny GGUF) and `vad` (Silero). */
export interface ServeProcess {
  readonly url: string;
  /** Where the GGUF was written: it must never appear in an answer. */
  readonly dir: string;
  readonly child: ChildProcess;
  /** Settles when the process has exited, with how. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** Kills the process if it still runs (SIGKILL) and removes its folder; for `afterAll`. */
  kill(): Promise<void>;
}

/**
 * Starts the built CLI's `serve` on port 0 with both models preloaded and the API key (by
 * `--api-key`, or `NPU_FIRST_API_KEY` in its environment), and
 * resolves with the URL it prints once listening. Rejects, with what it printed, if it exits first.
 */
export async function startServe(
  extraArgs: readonly string[] = [],
  { keyFrom = 'flag' }: { readonly keyFrom?: 'flag' | 'env' } = {},
): Promise<ServeProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'npu-first-hostile-serve-'));
  const gguf = await writeTinyLlamaGguf(dir);
  const args = [
    CLI_BIN,
    'serve',
    ...['--model', `llm=${gguf}`, '--model', `vad=${SILERO_PATH}`],
    ...['--port', '0', '--json', '--preload', '--drain-timeout', '5'],
    ...(keyFrom === 'flag' ? ['--api-key', API_KEY] : []),
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: {
      ...process.env,
      NO_COLOR: '1',
      ...(keyFrom === 'env' ? { NPU_FIRST_API_KEY: API_KEY } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      const url = listeningUrl(stdout);
      if (url) resolve(url);
    });
    // A start-up failure is printed (as a JSON error document) and the process exits.
    void exited.then(({ code, signal }) =>
      reject(
        new Error(
          `npu-first serve exited (${code ?? signal}) before listening:\n${stdout}${stderr}`,
        ),
      ),
    );
  }).catch(async (error: unknown) => {
    await kill();
    throw error;
  });
  return { url, dir, child, exited, stderr: () => stderr, kill };
}

/** The URL of `serve --json`'s first line, once that line is complete and says it. */
function listeningUrl(stdout: string): string | undefined {
  if (!stdout.includes('\n')) return undefined;
  try {
    const url = (JSON.parse(stdout.split('\n')[0] as string) as { url?: unknown }).url;
    return typeof url === 'string' ? url : undefined;
  } catch {
    return undefined; // not the listening line: the exit reports what was printed
  }
}

/** Whether the process is still running (it has neither exited nor been killed). */
export const alive = (server: ServeProcess) =>
  server.child.exitCode === null && server.child.signalCode === null;

/** A chat with the tiny GGUF, optionally streamed. */
export function chat(
  server: ServeProcess,
  extra: Record<string, unknown> = {},
  init: RequestInit = {},
): Promise<Response> {
  return fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: JSON_AUTH,
    body: JSON.stringify({
      model: 'llm',
      messages: [{ role: 'user', content: 'hello' }],
      max_tokens: 4,
      ...extra,
    }),
    ...init,
  });
}

/** Silero's inputs as JSON tensors: one 512-sample window of silence at 16 kHz. */
export function sileroInputs(): Record<string, { dtype: string; dims: number[]; data: unknown }> {
  return {
    input: { dtype: 'float32', dims: [1, 512], data: new Array(512).fill(0) },
    state: { dtype: 'float32', dims: [2, 1, 128], data: new Array(256).fill(0) },
    sr: { dtype: 'int64', dims: [], data: [16000] },
  };
}

/** `POST /v1/graph/vad/run` with `body` (by default, Silero's valid inputs). */
export function runVad(
  server: ServeProcess,
  body: unknown = { inputs: sileroInputs() },
  model = 'vad',
): Promise<Response> {
  return fetch(`${server.url}/v1/graph/${model}/run`, {
    method: 'POST',
    headers: JSON_AUTH,
    body: JSON.stringify(body),
  });
}

/** The sum of a metric's series in `GET /metrics` that carry all of `labels` (0 when none). */
export async function metric(
  server: ServeProcess,
  name: string,
  labels: Readonly<Record<string, string>>,
): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`, { headers: AUTH })).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/**
 * Polls {@link metric} until it reaches `value`. No time limit of its own: the test's timeout
 * bounds it, so a slow machine waits and a server that never records it fails.
 */
export async function untilMetric(
  server: ServeProcess,
  name: string,
  labels: Readonly<Record<string, string>>,
  value: number,
): Promise<number> {
  while ((await metric(server, name, labels)) < value) await new Promise((r) => setTimeout(r, 50));
  return metric(server, name, labels);
}
