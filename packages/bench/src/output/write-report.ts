import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BenchReport } from '../types.js';
import { renderMarkdown } from './markdown.js';

/** Writes the JSON document (`{ results, environment }`) to `path`. */
export async function writeJson(report: BenchReport, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
}

/** Writes the markdown summary to `path`. */
export async function writeMarkdown(report: BenchReport, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderMarkdown(report));
}
