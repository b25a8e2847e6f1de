import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Temporary directories holding in-memory models, removed however the process ends. */
const live = new Set<string>();
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
let exitInstalled = false;
let signalsInstalled = false;
const listeners = new Map<NodeJS.Signals, () => void>();

/**
 * Writes an in-memory GGUF to a private temporary file (llama.cpp reads files) and returns
 * its path and a `remove()` for dispose. Until removed, the file is also deleted when the
 * process exits — normally, through `process.exit()`, or by SIGTERM/SIGINT/SIGHUP. Only
 * SIGKILL or a native crash can leave it behind.
 */
export async function writeTempModel(
  bytes: Uint8Array,
): Promise<{ path: string; remove: () => Promise<void> }> {
  installCleanup();
  const dir = await mkdtemp(join(tmpdir(), 'npu-first-gguf-'));
  live.add(dir);
  const remove = async () => {
    live.delete(dir);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const path = join(dir, 'model.gguf');
    await writeFile(path, bytes);
    return { path, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** How many temporary model directories are still on disk (for tests). */
export function liveTempModels(): readonly string[] {
  return [...live];
}

function removeAllSync(): void {
  for (const dir of live) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Exiting anyway: a file that cannot be removed now cannot be removed later either.
    }
  }
  live.clear();
}

function installCleanup(): void {
  if (!exitInstalled) {
    exitInstalled = true;
    // A normal end, process.exit(), an app's signal handler that exits: all reach 'exit',
    // whose handlers must be synchronous, hence rmSync.
    process.on('exit', removeAllSync);
  }
  if (signalsInstalled) return;
  signalsInstalled = true;
  for (const signal of SIGNALS) {
    const onSignal = (): void => {
      // Runs first (prepended), cleans up, then steps aside for the other listeners of this
      // emit: an app's handler decides what happens next; signal-exit (which node-llama-cpp's
      // dependencies install) re-raises once it is alone. With nobody else listening, raise
      // the signal again ourselves, so the process still dies by it with its usual status.
      removeAllSync();
      for (const [s, listener] of listeners) process.off(s, listener);
      listeners.clear();
      signalsInstalled = false;
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    listeners.set(signal, onSignal);
    process.prependListener(signal, onSignal);
  }
}
