import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './__fixtures__/run-cli.js';
import { discoveryRoots, installedIn, TIMEOUT_ENV, TRUST_PROJECT_ENV } from './runtime.js';

/**
 * The CLI's trust rule, on real folders: a project that declares a backend plugin, and CLIs
 * installed inside it or elsewhere.
 */
let base: string;
let project: string;
let elsewhere: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'npu-first-trust-'));
  project = join(base, 'project');
  const plugin = join(project, 'node_modules', 'some-backend');
  await mkdir(plugin, { recursive: true });
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'project', dependencies: { 'some-backend': '*' } }),
  );
  await writeFile(
    join(plugin, 'package.json'),
    JSON.stringify({
      name: 'some-backend',
      'npu-first': { specificationVersion: 'v1', plugin: './p.js' },
    }),
  );
  // A CLI installed in the project, as npm (or pnpm's store inside node_modules) lays it out.
  await mkdir(join(project, 'node_modules', '.pnpm', 'npu-first@1', 'node_modules', 'npu-first'), {
    recursive: true,
  });
  // A CLI installed somewhere else (globally, or another checkout).
  elsewhere = join(base, 'global', 'node_modules', 'npu-first');
  await mkdir(elsewhere, { recursive: true });
  await mkdir(join(project, 'src'), { recursive: true });
});

describe("the CLI's trust in the current project", () => {
  it('loads the project of a CLI installed inside it', () => {
    const cli = join(project, 'node_modules', '.pnpm', 'npu-first@1', 'node_modules', 'npu-first');
    expect(installedIn(cli, project)).toBe(true);
    expect(discoveryRoots(cli, join(project, 'src'), {})).toEqual({
      roots: [cli, join(project, 'src')],
    });
  });

  it('skips, and names, the plugins of a project the CLI is not installed in', () => {
    expect(installedIn(elsewhere, project)).toBe(false);
    expect(discoveryRoots(elsewhere, project, {})).toEqual({
      roots: [elsewhere],
      skipped: { project, plugins: ['some-backend'] },
    });
  });

  it('does not let a project claim the CLI with a symlink in its node_modules', async () => {
    const claim = join(base, 'claiming');
    await mkdir(join(claim, 'node_modules'), { recursive: true });
    await writeFile(join(claim, 'package.json'), '{"name":"claiming"}');
    await symlink(elsewhere, join(claim, 'node_modules', 'npu-first'));
    expect(installedIn(elsewhere, claim)).toBe(false);
  });

  it(`loads any project when ${TRUST_PROJECT_ENV}=1, and refuses a value it cannot read`, () => {
    expect(discoveryRoots(elsewhere, project, { [TRUST_PROJECT_ENV]: '1' }).roots).toEqual([
      elsewhere,
      project,
    ]);
    expect(discoveryRoots(elsewhere, project, { [TRUST_PROJECT_ENV]: '0' }).roots).toEqual([
      elsewhere,
    ]);
    expect(() => discoveryRoots(elsewhere, project, { [TRUST_PROJECT_ENV]: 'maybe' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it('has nothing to skip outside any project', () => {
    expect(discoveryRoots(elsewhere, '/', {})).toEqual({ roots: [elsewhere, '/'] });
  });
});

describe('npu-first --help', () => {
  it('names every environment variable the CLI runtime reads, with the policy and caches', async () => {
    const { out, code } = await runCli('--help');
    expect(code).toBe(0);
    for (const name of [
      TRUST_PROJECT_ENV,
      ...Object.values(TIMEOUT_ENV),
      'NPU_FIRST_POLICY',
      'NPU_FIRST_PLACEMENT_CACHE',
      'NPU_FIRST_TUNING_CACHE',
      'NPU_FIRST_DOWNLOAD_TIMEOUT_MS',
      'NPU_FIRST_ORT_TELEMETRY',
    ]) {
      expect(out).toMatch(new RegExp(`^  ${name}`, 'm'));
    }
  });
});
