import { defaultModelDir } from '@npu-first/llama-cpp';
import pc from 'picocolors';
import { listModels, removeModel } from '../models-folder.js';
import { type Io, printJson } from '../output.js';

export interface ModelsFlags {
  readonly modelsDir?: string;
  readonly json?: boolean;
}

const folder = (flags: ModelsFlags) => flags.modelsDir ?? defaultModelDir();

const size = (bytes: number) =>
  bytes >= 1e9
    ? `${(bytes / 1e9).toFixed(2)} GB`
    : bytes >= 1e6
      ? `${(bytes / 1e6).toFixed(1)} MB`
      : `${(bytes / 1e3).toFixed(1)} kB`;

/** `npu-first models`: the models `pull` downloaded, with size and path. */
export async function modelsCommand(io: Io, flags: ModelsFlags): Promise<number> {
  const dir = folder(flags);
  const models = await listModels(dir);
  if (flags.json) {
    printJson(io, { dir, models });
    return 0;
  }
  if (models.length === 0) {
    io.out(`No models in ${dir} (download one with: npu-first pull <url|hf:ref>)`);
    return 0;
  }
  const width = Math.max(...models.map((m) => m.name.length));
  for (const m of models)
    io.out(`${m.name.padEnd(width)}  ${size(m.sizeBytes).padStart(9)}  ${pc.dim(m.path)}`);
  return 0;
}

/** `npu-first models rm <name>`: deletes one downloaded model. */
export async function modelsRmCommand(io: Io, name: string, flags: ModelsFlags): Promise<number> {
  const removed = await removeModel(folder(flags), name);
  if (flags.json) printJson(io, { removed });
  else io.out(`Removed ${removed.name} (${size(removed.sizeBytes)}) from ${removed.path}`);
  return 0;
}
