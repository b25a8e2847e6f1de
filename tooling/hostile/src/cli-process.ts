import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The built `npu-first` CLI, as its package ships it. */
export const CLI_BIN = join(
  dirname(createRequire(import.meta.url).resolve('npu-first/package.json')),
  'dist',
  'bin.js',
);

/** How a child process ended: its exit, what it printed, and how long it took. */
export interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** True when it outlived `timeoutMs` and was killed: a hang. */
  readonly hung: boolean;
}

/**
 * Runs a Node script (by default the CLI) in a child process, so a crash or a hang fails the
 * test that caused it instead of killing the runner. Never rejects.
 */
export function runNode(
  args: readonly string[],
  options: {
    readonly timeoutMs?: number;
    readonly env?: NodeJS.ProcessEnv;
    readonly cwd?: string;
    readonly script?: string;
    readonly stdin?: string;
  } = {},
): Promise<Ended> {
  const start = performance.now();
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [options.script ?? CLI_BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - start), hung });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/**
 * The `code` of the error a CLI run printed — one JSON document (`--json`) or the readable
 * `error [CODE] message` line — or undefined when it printed none.
 */
export function errorCode(ended: Ended): string | undefined {
  const line = /^error \[([A-Z_]+)\]/m.exec(ended.stderr);
  if (line) return line[1];
  for (const text of [ended.stdout, ended.stderr]) {
    try {
      const parsed = JSON.parse(text.trim()) as { error?: { code?: unknown } };
      if (typeof parsed.error?.code === 'string') return parsed.error.code;
    } catch {
      // Not one JSON document.
    }
  }
  return undefined;
}
