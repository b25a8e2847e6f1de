import { execFile } from 'node:child_process';
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO } from './published-packages.js';

const run = promisify(execFile);
const script = join(REPO, 'tooling', 'scripts', 'check-built.mjs');

describe('prepack guard (tooling/scripts/check-built.mjs)', () => {
  it('refuses to pack a package that is not built, saying what to run', async () => {
    const unbuilt = await mkdtemp(join(tmpdir(), 'npu-first-unbuilt-'));
    await copyFile(join(REPO, 'packages', 'core', 'package.json'), join(unbuilt, 'package.json'));
    const failure = await run(process.execPath, [script], { cwd: unbuilt }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('@npu-first/core: not built — ./dist/index.d.ts');
    expect(failure?.stderr).toContain('pnpm --filter @npu-first/core run build');
  });

  it('lets a built package through', async () => {
    await expect(
      run(process.execPath, [script], { cwd: join(REPO, 'packages', 'core') }),
    ).resolves.toBeDefined();
  });
});
