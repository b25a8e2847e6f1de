import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Ended, runNode } from '../cli-process.js';

/** Writes each model to `<dir>/<index>.<ext>` and returns the directory and file names. */
export async function writeModels(
  models: readonly { readonly bytes: Uint8Array }[],
  ext: 'gguf' | 'onnx',
): Promise<{ dir: string; files: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'hostile-models-'));
  const files = models.map((_, i) => `${String(i).padStart(3, '0')}.${ext}`);
  await Promise.all(models.map((m, i) => writeFile(join(dir, files[i] as string), m.bytes)));
  return { dir, files };
}

/**
 * Runs one of this folder's child scripts and parses its JSON lines by `file`. The map stays
 * partial when the child crashed or hung part-way: the missing cases then fail one by one.
 */
export async function runBatch<T extends { file: string }>(
  script: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<{ ended: Ended; results: Map<string, T> }> {
  const ended = await runNode(args, { script: join(import.meta.dirname, script), timeoutMs });
  const results = new Map<string, T>();
  for (const line of ended.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const parsed = JSON.parse(line) as T;
    results.set(parsed.file, parsed);
  }
  return { ended, results };
}
