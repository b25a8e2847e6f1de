import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { REPO } from './published-packages.js';

/** A ```ts block of the documentation, where it stands and whether it may run here. */
export interface DocBlock {
  /** `README.md:82`: the file (relative to the repo) and the line of the opening fence. */
  readonly where: string;
  readonly code: string;
  /** Set by a `<!-- check: typecheck-only — reason -->` comment on the line above the fence. */
  readonly typecheckOnly?: string;
}

const MARKER = /^<!--\s*check:\s*typecheck-only\s*(.*?)\s*-->$/;

/** The documentation whose TypeScript is checked: README.md, docs/*.md and packages/*\/README.md. */
export async function docFiles(): Promise<string[]> {
  const docs = (await readdir(join(REPO, 'docs'))).filter((f) => f.endsWith('.md'));
  const packages = await readdir(join(REPO, 'packages'), { withFileTypes: true });
  const readmes: string[] = [];
  for (const entry of packages) {
    if (!entry.isDirectory()) continue;
    const readme = join(REPO, 'packages', entry.name, 'README.md');
    if (
      await readFile(readme).then(
        () => true,
        () => false,
      )
    )
      readmes.push(readme);
  }
  return [join(REPO, 'README.md'), ...docs.map((f) => join(REPO, 'docs', f)), ...readmes];
}

/** Every ```ts (or ```typescript) block of a markdown text. */
export function extractTsBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? '')) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    const marker = MARKER.exec((lines[start - 1] ?? '').trim());
    const reason = marker?.[1]?.replace(/^[—:-]\s*/, '');
    blocks.push({
      where: `${relative(REPO, file)}:${start + 1}`,
      code: body.join('\n'),
      ...(marker ? { typecheckOnly: reason ?? '' } : {}),
    });
  }
  return blocks;
}

/** The ```ts blocks of every checked documentation file. */
export async function docBlocks(): Promise<DocBlock[]> {
  const blocks: DocBlock[] = [];
  for (const file of await docFiles())
    blocks.push(...extractTsBlocks(file, await readFile(file, 'utf8')));
  return blocks;
}
