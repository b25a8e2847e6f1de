import { type Io, printJson } from '../output.js';
import { resolveModel } from './model-source.js';

/** `npu-first pull <url|hf:…>`: download a GGUF model into the model cache and print its path. */
export async function pullCommand(
  io: Io,
  uri: string,
  flags: { modelsDir?: string; json?: boolean },
): Promise<number> {
  const path = await resolveModel(io, uri, flags.modelsDir);
  if (flags.json) printJson(io, { uri, path });
  else io.out(path);
  return 0;
}
