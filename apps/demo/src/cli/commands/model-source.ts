import { downloadGguf, isModelUri } from '@npu-first/llama-cpp';
import type { Io } from '../output.js';
import { startProgress } from '../progress.js';

/**
 * A model argument as a local path: URLs and `hf:` references are downloaded first (once;
 * later runs find the file in the cache), with a progress bar on a terminal.
 */
export async function resolveModel(io: Io, model: string, dir?: string): Promise<string> {
  if (!isModelUri(model)) return model;
  let bar: ReturnType<typeof startProgress> | undefined;
  const path = await downloadGguf(model, {
    ...(dir ? { dir } : {}),
    onProgress: ({ downloadedBytes, totalBytes }) => {
      if (!io.interactive || totalBytes <= 0) return;
      bar ??= startProgress(`Downloading ${model}`, totalBytes, 'bytes');
      bar.update(downloadedBytes);
    },
  });
  bar?.stop();
  return path;
}
