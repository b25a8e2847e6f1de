import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { packPackages } from './install-packed.js';
import { PUBLISHED, REPO } from './published-packages.js';

const run = promisify(execFile);
const bin = (name: string) => join(REPO, 'node_modules', '.bin', name);

let tarballs: string[];
beforeAll(async () => {
  tarballs = await packPackages(PUBLISHED, await mkdtemp(join(tmpdir(), 'npu-first-packs-')));
}, 300_000);

describe('the published packages as npm ships them', () => {
  it('every one packs to a tarball', () => {
    expect(tarballs).toHaveLength(PUBLISHED.length);
  });

  it('publint finds nothing in any tarball (strict: warnings count)', async () => {
    for (const tarball of tarballs) {
      const { stdout } = await run(bin('publint'), ['run', tarball, '--strict']);
      expect(stdout, basename(tarball)).toContain('All good!');
    }
  }, 120_000);

  // The node16 profile leaves out node10 resolution (no subpath exports: `./plugin` cannot resolve
  // there). `cjs-resolves-to-esm` is the one rule ignored: the packages are ES modules that CommonJS
  // loads with require() (Node ≥ 20.19, the engines floor; TypeScript ≥ 5.8 with module node20 or
  // nodenext); commonjs-app.test.ts proves it from a real CommonJS app. attw's exit code applies both.
  it('are-the-types-wrong finds no problem for Node 16+ resolution in any tarball', async () => {
    for (const tarball of tarballs) {
      const args = [tarball, '--profile', 'node16', '--ignore-rules', 'cjs-resolves-to-esm'];
      const result = await run(bin('attw'), args).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string }) => error,
      );
      expect({ code: result.code, tarball: basename(tarball) }, result.stdout).toEqual({
        code: 0,
        tarball: basename(tarball),
      });
    }
  }, 300_000);

  it('every tarball ships its LICENSE and README', async () => {
    for (const tarball of tarballs) {
      const { stdout } = await run('tar', ['-tzf', tarball]);
      const files = stdout.split('\n');
      expect(files, basename(tarball)).toEqual(
        expect.arrayContaining(['package/LICENSE', 'package/README.md', 'package/package.json']),
      );
      expect(
        files.some((f) => f.endsWith('.d.ts.map')),
        basename(tarball),
      ).toBe(false);
    }
  });
});
