import { InvalidOptionError } from '@npu-first/core';
import { isModelUri } from '@npu-first/llama-cpp';
import { type Io, printJson } from '../output.js';
import { resolveModel } from './model-source.js';

/** `npu-first pull <url|hf:…>`: download a GGUF model into the model cache and print its path. */
export async function pullCommand(
  io: Io,
  uri: string,
  flags: { modelsDir?: string; json?: boolean },
): Promise<number> {
  checkPullable(uri);
  const path = await resolveModel(io, uri, flags.modelsDir);
  if (flags.json) printJson(io, { uri, path });
  else io.out(path);
  return 0;
}

/**
 * `pull` downloads `https://` (or `http://`) URLs and `hf:` references; anything else is
 * `INVALID_OPTION` (exit 2) before anything is touched, with a hint for a local file.
 */
export function checkPullable(uri: string): void {
  if (isModelUri(uri)) return;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1];
  const reason = scheme
    ? `${scheme}:// is not supported: pass an https:// URL or hf:owner/repo[:file]`
    : `"${uri}" is not a URL: pull downloads https://… or hf:owner/repo[:file]; a model file you already have needs no pull — pass its path to \`npu-first run\` or \`generate\`, or copy it into the models folder (--models-dir)`;
  throw new InvalidOptionError('<uri>', reason);
}
