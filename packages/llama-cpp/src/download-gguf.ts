import { homedir } from 'node:os';
import { join } from 'node:path';
import { ModelDownloadError, messageOf } from '@npu-first/core';
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

/**
 * Downloads a GGUF model with node-llama-cpp's downloader (resumable, parallel, skips files
 * already there) and returns its path. Only ever called when the user asks for a URL or hub
 * reference; offline it fails with `MODEL_DOWNLOAD_FAILED` saying so.
 */
export async function downloadGguf(
  uri: string,
  options: {
    dir?: string;
    onProgress?: (progress: DownloadProgress) => void;
    signal?: AbortSignal;
  } = {},
): Promise<string> {
  const nlc = await loadNodeLlamaCpp();
  await checkReachable(uri);
  try {
    const downloader = await nlc.createModelDownloader({
      modelUri: uri,
      dirPath: options.dir ?? defaultModelDir(),
      showCliProgress: false,
      skipExisting: true,
      deleteTempFileOnCancel: false,
      ...(options.onProgress
        ? {
            onProgress: ({
              downloadedSize,
              totalSize,
            }: {
              downloadedSize: number;
              totalSize: number;
            }) => options.onProgress?.({ downloadedBytes: downloadedSize, totalBytes: totalSize }),
          }
        : {}),
    });
    return await downloader.download(options.signal ? { signal: options.signal } : {});
  } catch (error) {
    throw new ModelDownloadError(uri, explain(error), { cause: error });
  }
}

/**
 * Looks the host up before downloading: node-llama-cpp's downloader retries for minutes
 * when offline, while a failed lookup answers at once.
 */
async function checkReachable(uri: string): Promise<void> {
  let host: string;
  try {
    host = uri.toLowerCase().startsWith('hf:') ? 'huggingface.co' : new URL(uri).hostname;
  } catch {
    throw new ModelDownloadError(uri, 'not a valid URL or hf:owner/repo[:file] reference');
  }
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(Object.assign(new Error(`looking up ${host} timed out`), { code: 'ETIMEDOUT' })),
      10_000,
    ).unref(),
  );
  try {
    const { lookup } = await import('node:dns/promises'); // on use: every other process skips it
    await Promise.race([lookup(host), timeout]);
  } catch (error) {
    throw new ModelDownloadError(uri, explain(error), { cause: error });
  }
}

function explain(error: unknown): string {
  const text = messageOf(error);
  const code =
    (error as { code?: string; cause?: { code?: string } }).cause?.code ??
    (error as { code?: string }).code;
  if (
    /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH|fetch failed|ETIMEDOUT/i.test(
      `${text} ${code ?? ''}`,
    )
  ) {
    return `the network is unreachable (${code ?? text}); connect to the internet, or download the file yourself and pass its path`;
  }
  return text;
}
