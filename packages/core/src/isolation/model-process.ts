import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EngineCrashedError, EngineMissingError, ModelDisposedError } from '../errors/errors.js';
import { packageRootOf } from '../runtime/create-runtime.js';
import type { FromChild, LoadedInfo, ToChild } from './messages.js';
import { fromWire } from './wire-error.js';

/** The host script in this package's build (found from the package root: bundling moves code). */
export function hostChildPath(): string {
  return join(packageRootOf(import.meta.url), 'dist', 'isolation', 'host-child.js');
}

type Call = Exclude<ToChild, { type: 'load' | 'abort' | 'stop' | 'dispose' }>;
type CallBody = Call extends infer C ? (C extends Call ? Omit<C, 'id'> : never) : never;

type During = 'run' | 'generate' | 'embed';

interface Pending {
  readonly during: During;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly onChunk?: (text: string) => void;
}

/** stderr kept from the model's process, from its end: enough for the engine's last words. */
const MAX_TAIL = 8 * 1024;
/** How long to wait for a disposed process to exit by itself before it is killed. */
const DISPOSE_GRACE_MS = 5_000;

/**
 * One forked process holding one model. Every call is a message with an id; when the process
 * dies, the load or every pending call rejects with `EngineCrashedError` (naming the backend
 * at work and the signal), and so does every later call. While nothing is pending the process
 * is unref'd: like an in-process model, an idle isolated model never keeps the application alive.
 */
export class ModelProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #tail = '';
  /** The backend the child last said it was working on; the model's backend once loaded. */
  #backend: string | null = null;
  #loading: { resolve: (info: LoadedInfo) => void; reject: (error: unknown) => void } | undefined;
  /** Set once the process is gone: why, for every later call. */
  #ended: ((during: During) => Error) | undefined;
  #disposing = false;
  readonly #exited: Promise<void>;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      this.#tail = (this.#tail + chunk.toString('utf8')).slice(-MAX_TAIL);
    });
    child.on('message', (message: FromChild) => this.#receive(message));
    this.#exited = new Promise((resolve) => {
      let done = false;
      const end = (code: number | null, signal: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        this.#end(signal ?? `exit code ${code ?? 'unknown'}`);
        resolve();
      };
      // 'close' comes once stderr is drained (the engine's last words); a grandchild holding
      // the pipe open must not delay the verdict for long.
      child.on('exit', (code, signal) => setTimeout(() => end(code, signal), 200).unref());
      child.on('close', end);
      child.on('error', () => end(null, null));
    });
  }

  /** Forks the host script; the process lives until `dispose()`, a crash, or this process's exit. */
  static async start(script = hostChildPath()): Promise<ModelProcess> {
    if (!existsSync(script))
      throw new EngineMissingError(
        'the isolation host script',
        `${script} is missing; build @npu-first/core (pnpm --filter @npu-first/core build)`,
      );
    // Imported here: only isolated loads pay for node:child_process.
    const { fork } = await import('node:child_process');
    const child = fork(script, [], {
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'advanced',
      // The application's own flags (loaders, inspectors, test runners) are not the host's.
      execArgv: [],
    });
    return new ModelProcess(child);
  }

  /** Sends the load and resolves with what the child learned of the model. */
  load(message: Extract<ToChild, { type: 'load' }>): Promise<LoadedInfo> {
    return new Promise((resolve, reject) => {
      this.#loading = { resolve, reject };
      this.#send(message);
    });
  }

  /** One call into the model; `onChunk` receives streamed text. Returns its id with the result. */
  call(body: CallBody, onChunk?: (text: string) => void): { id: number; result: Promise<unknown> } {
    const id = this.#nextId++;
    const result = new Promise<unknown>((resolve, reject) => {
      const during = body.type;
      if (this.#ended) return reject(this.#ended(during));
      this.#pending.set(id, { during, resolve, reject, ...(onChunk ? { onChunk } : {}) });
      this.#hold(true);
      this.#send({ ...body, id } as Call);
    });
    return { id, result };
  }

  /** Tells the child about an abort or an early stop of call `id`. */
  signal(type: 'abort' | 'stop', id: number): void {
    if (this.#pending.has(id)) this.#send({ type, id });
  }

  /** Disposes the model in the child and waits for it to exit (killing it if it lingers). */
  async dispose(model: string): Promise<void> {
    if (this.#disposing) return this.#exited;
    this.#disposing = true;
    if (!this.#ended) {
      this.#ended = () => new ModelDisposedError(model);
      this.#send({ type: 'dispose' });
      this.#hold(true);
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), DISPOSE_GRACE_MS);
      await this.#exited;
      clearTimeout(timer);
    }
  }

  /** Ends the process at once (a load that failed: the child has nothing left to do). */
  kill(): void {
    this.#disposing = true;
    this.#child.kill('SIGKILL');
  }

  /** The backend the child was working on when it ended, for retries. */
  get backend(): string | null {
    return this.#backend;
  }

  #send(message: ToChild): void {
    // A send to a process that just died fails here; its exit then rejects what is pending.
    this.#child.send(message, (error) => {
      if (error && !this.#child.connected && this.#child.exitCode === null) this.#child.kill();
    });
  }

  #receive(message: FromChild): void {
    switch (message.type) {
      case 'working-on':
        this.#backend = message.backend;
        return;
      case 'loaded':
        this.#backend = message.info.placement.backend;
        this.#loading?.resolve(message.info);
        this.#loading = undefined;
        this.#hold(false);
        return;
      case 'load-failed':
        this.#loading?.reject(fromWire(message.error));
        this.#loading = undefined;
        return;
      case 'chunk':
        this.#pending.get(message.id)?.onChunk?.(message.text);
        return;
      default: {
        const pending = this.#pending.get(message.id);
        if (!pending) return;
        this.#pending.delete(message.id);
        if (message.type === 'result') pending.resolve(message.value);
        else pending.reject(fromWire(message.error));
        if (this.#pending.size === 0) this.#hold(false);
      }
    }
  }

  /** The process is gone: reject the load or every pending call, and every later one. */
  #end(exit: string): void {
    const lastOutput = lastLine(this.#tail);
    const crash = (during: 'load' | During) =>
      new EngineCrashedError(this.#backend, during, exit, lastOutput);
    if (!this.#disposing) this.#ended = crash;
    this.#loading?.reject(crash('load'));
    this.#loading = undefined;
    for (const pending of this.#pending.values())
      pending.reject(this.#disposing ? this.#ended?.(pending.during) : crash(pending.during));
    this.#pending.clear();
  }

  /** Keeps this process alive while the child owes an answer, not otherwise. */
  #hold(busy: boolean): void {
    const child = this.#child as ChildProcess & { channel?: { ref(): void; unref(): void } };
    const stderr = child.stderr as
      | (NodeJS.ReadableStream & { ref?(): void; unref?(): void })
      | null;
    if (busy) {
      child.ref();
      child.channel?.ref();
      stderr?.ref?.();
    } else {
      child.unref();
      child.channel?.unref();
      stderr?.unref?.();
    }
  }
}

/** The last non-empty line of a process's output, trimmed to a readable length. */
function lastLine(text: string): string | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines.at(-1);
  return last === undefined ? undefined : last.length > 300 ? `${last.slice(0, 300)}…` : last;
}
