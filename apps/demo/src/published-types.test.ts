import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The published libraries' declarations must not need `@types/node`, which none of them declares
 * as a dependency: a TypeScript user who does not install it would otherwise get errors inside our
 * types. Checked on the built declarations (where inferred types such as `process.platform`'s
 * `NodeJS.Platform` appear), from this package because it depends on every library.
 */
const packages = join(import.meta.dirname, '..', '..', '..', 'packages');
const PUBLISHED = [
  'core',
  'onnxruntime',
  'llama-cpp',
  'backend-cpu',
  'backend-gpu',
  'backend-npu',
  'testkit',
];
const NODE_TYPES = /\bNodeJS\.|from ['"]node:|reference types="node"|\bBuffer\b(?!Source)/;

function declarations(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarations(path);
    return entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('published declarations', () => {
  it('need no @types/node', () => {
    const offending: string[] = [];
    for (const pkg of PUBLISHED) {
      for (const file of declarations(join(packages, pkg, 'dist'))) {
        const lines = readFileSync(file, 'utf8').split('\n');
        lines.forEach((line, i) => {
          if (NODE_TYPES.test(line))
            offending.push(`${relative(packages, file)}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(offending).toEqual([]);
  });
});
