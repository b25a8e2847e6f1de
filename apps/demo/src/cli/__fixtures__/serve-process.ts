import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', '..', 'dist', 'bin.js');

/** A real `npu-first serve` process on 127.0.0.1, a free port. */
export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcessWithoutNullStreams;
  /** What it printed on stderr so far (its log). */
  stderr(): string;
  /** SIGTERM, then its exit code (SIGKILL after `killAfterMs`, exit code null then). */
  stop(killAfterMs?: number): Promise<number | null>;
}

export async function startServe(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.on('exit', (code) =>
      reject(new Error(`npu-first serve exited ${code} before listening: ${stdout}${stderr}`)),
    );
  });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  return {
    url,
    child,
    stderr: () => stderr,
    async stop(killAfterMs = 30_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const [code] = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
