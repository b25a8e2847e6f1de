import { readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InvalidOptionError, ModelNotFoundError } from '@npu-first/core';

/** A model `pull` downloaded: its file name, size and path. */
export interface StoredModel {
  readonly name: string;
  readonly sizeBytes: number;
  readonly path: string;
}

/**
 * The GGUF models in `dir`, by name. Downloads still in progress (not yet `.gguf`) are not
 * listed; a folder that does not exist yet holds none.
 */
export async function listModels(dir: string): Promise<StoredModel[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const models: StoredModel[] = [];
  for (const name of names.filter((n) => n.toLowerCase().endsWith('.gguf')).sort()) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) models.push({ name, sizeBytes: info.size, path });
  }
  return models;
}

/**
 * Deletes the model `name` (as `listModels` names it; the `.gguf` may be left off) from `dir`
 * and returns what it was. A name that is a path is `INVALID_OPTION`; one not there,
 * `MODEL_NOT_FOUND`.
 */
export async function removeModel(dir: string, name: string): Promise<StoredModel> {
  if (name === '' || basename(name) !== name || name === '.' || name === '..') {
    throw new InvalidOptionError(
      '<name>',
      `"${name}" is not a model name: pass one as \`npu-first models\` lists it`,
    );
  }
  const models = await listModels(dir);
  const model = models.find((m) => m.name === name || m.name === `${name}.gguf`);
  if (!model) throw new ModelNotFoundError(join(dir, name));
  await rm(model.path);
  return model;
}
