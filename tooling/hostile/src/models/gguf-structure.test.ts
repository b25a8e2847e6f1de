import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ended } from '../cli-process.js';
import { runBatch, writeModels } from './child-lines.js';
import {
  ggufLimits,
  ggufMetadata,
  ggufTruncations,
  TINY_GGUF,
  type Variant,
} from './gguf-variants.js';

interface Inspected {
  file: string;
  byPath: string;
  byBytes: string;
  reason: string;
  alive: boolean;
}

const variants: Variant[] = [...ggufTruncations(), ...ggufLimits(), ...ggufMetadata()];
let dir: string;
let files: string[];
let ended: Ended;
let results: Map<string, Inspected>;

// Every variant is inspected in one child process (a regression that hangs or crashes fails
// these tests, not the runner); each case then checks its own line of the child's output.
beforeAll(async () => {
  ({ dir, files } = await writeModels(variants, 'gguf'));
  const valid = join(dir, 'valid.gguf.bin');
  await writeFile(valid, TINY_GGUF);
  ({ ended, results } = await runBatch<Inspected>('inspect-batch.mjs', [dir, valid], 90_000));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('crafted GGUF files are refused before any engine sees them', () => {
  it('the inspecting child ran every case and exited', () => {
    expect(ended.hung).toBe(false);
    expect(ended.signal).toBe(null);
    expect(ended.stderr).toBe('');
    expect(results.size).toBe(variants.length + 1);
    expect(results.get('valid.gguf.bin')?.byPath).toBe('OK:gguf');
  });

  it.each(variants.map((v, i) => [v.name, v, i] as const))('%s', (_name, variant, i) => {
    const result = results.get(files[i] as string);
    expect(result, 'the child printed no result for this case').toBeDefined();
    expect(result?.byPath).toBe(variant.codeByPath ?? variant.code);
    expect(result?.byBytes).toBe(variant.code);
    expect(result?.alive).toBe(true);
    // A person can act on the reason: it names the field and where it sits.
    if (variant.code === 'MODEL_CORRUPT') {
      expect(result?.reason).toMatch(/at byte \d+|truncated/);
    }
  });
});
