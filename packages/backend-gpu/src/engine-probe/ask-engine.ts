import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { messageOf, packageRootOf } from '@npu-first/core';
import type { Env } from '../detect/machine-roots.js';
import { relevantLines } from './engine-output.js';
import type { EngineAnswer, EngineQuestion } from './questions.js';

/**
 * How long a probe process may take before it is killed: well under the runtime's 10 s probe
 * bound, so a hung driver becomes a reason instead of a probe time-out. llama.cpp's Vulkan
 * build takes about 1.5 s to load on a 2-core machine without a GPU.
 */
export const ENGINE_PROBE_TIMEOUT_MS = 7_000;

/** What came back from a probe process. */
export interface EngineReply {
  /** The engine's answer; absent when the process crashed, hung or could not start. */
  readonly answer?: EngineAnswer;
  /** Why no answer came, for a person. */
  readonly failure?: string;
  /** What matters of the engine's own output on stdout and stderr (`relevantLines`). */
  readonly output: readonly string[];
  /** The probe process's wall time, from fork to exit. */
  readonly ms: number;
}

export interface AskOptions {
  /** The environment the engine runs in; default this process's. */
  readonly env?: Env;
  readonly timeoutMs?: number;
  /** The probe script; default this package's dist/engine-probe/probe-child.js. */
  readonly script?: string;
}

/** The probe script in this package's build (found from the package root: bundling moves code). */
export function probeChildPath(): string {
  return join(packageRootOf(import.meta.url), 'dist', 'engine-probe', 'probe-child.js');
}

const replies = new Map<string, Promise<EngineReply>>();

/**
 * Asks an engine a question in a short-lived child process, so that what native code prints
 * stays out of the user's terminal and a crash or hang in a driver cannot take the host down.
 * Once per question, environment and process: the answer does not change while it lives.
 */
export function askEngine(
  question: EngineQuestion,
  options: AskOptions = {},
): Promise<EngineReply> {
  const script = options.script ?? probeChildPath();
  const env = options.env ?? process.env;
  const key = JSON.stringify([script, question, env]);
  let reply = replies.get(key);
  if (!reply) {
    reply = runProbeProcess(script, question, env, options.timeoutMs ?? ENGINE_PROBE_TIMEOUT_MS);
    replies.set(key, reply);
  }
  return reply;
}

/** Output kept from a probe process, from its end: enough for the last lines. */
const MAX_OUTPUT = 64 * 1024;

/**
 * Forks `script`, sends it `question`, and resolves with its answer and output. Never rejects:
 * a process that cannot start, crashes, or outlives `timeoutMs` (then it and anything it
 * started are killed) resolves with `failure`.
 */
export async function runProbeProcess(
  script: string,
  question: EngineQuestion,
  env: Env,
  timeoutMs: number,
): Promise<EngineReply> {
  const start = performance.now();
  if (!existsSync(script)) {
    return {
      failure: `the engine probe script ${script} is missing (build @npu-first/backend-gpu)`,
      output: [],
      ms: 0,
    };
  }
  // Imported here: only probes that reach an engine pay for node:child_process.
  const { fork } = await import('node:child_process');
  // Its own process group (POSIX), so that a time-out also kills what the engine started
  // (node-llama-cpp tests its binaries in a subprocess of its own).
  const group = process.platform !== 'win32';
  return new Promise((resolve) => {
    let output = '';
    let answer: EngineAnswer | undefined;
    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    const child = fork(script, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // The Vulkan loader says which driver it could not load only when asked to.
      env: { ...env, VK_LOADER_DEBUG: env.VK_LOADER_DEBUG ?? 'error' },
      execArgv: [],
      detached: group,
      serialization: 'json',
    });
    const kill = () => {
      try {
        if (group && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT);
    };
    const finish = (startFailure?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      kill();
      const lines = relevantLines(output);
      const ms = Math.round(performance.now() - start);
      if (answer) return resolve({ answer, output: lines, ms });
      const last = lines.length > 0 ? `; its last output: ${lines.slice(-3).join(' | ')}` : '';
      resolve({
        failure: `${startFailure ?? describeExit(timedOut, timeoutMs, exit)}${last}`,
        output: lines,
        ms,
      });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('message', (message) => {
      answer = message as EngineAnswer;
    });
    child.on('error', (error) =>
      finish(`the engine probe process could not start: ${messageOf(error)}`),
    );
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // 'close' follows once the pipes drain; a leftover grandchild could hold them open.
      setTimeout(finish, 250).unref();
    });
    child.on('close', () => finish());
    child.send(question, (error) => {
      if (error) finish(`the engine probe process could not be asked: ${messageOf(error)}`);
    });
  });
}

function describeExit(
  timedOut: boolean,
  timeoutMs: number,
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined,
): string {
  if (timedOut)
    return `the engine did not answer within ${timeoutMs / 1000} s (its probe process was killed)`;
  if (exit?.signal) return `the engine's probe process died of ${exit.signal} before answering`;
  return `the engine's probe process exited with code ${exit?.code ?? 'unknown'} before answering`;
}
