import { access, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, runNode } from '../cli-process.js';

/**
 * `npu-first` run inside a checkout it is not installed in: the checkout declares a plugin that
 * leaves a marker file when imported. The CLI must not import it unless the user opts in.
 */
let project: string;
let marker: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'npu-first-untrusted-'));
  marker = join(project, 'imported');
  const pkg = join(project, 'node_modules', 'untrusted-backend');
  await mkdir(pkg, { recursive: true });
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'checkout', dependencies: { 'untrusted-backend': '*' } }),
  );
  await writeFile(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: 'untrusted-backend',
      type: 'module',
      'npu-first': { specificationVersion: 'v1', plugin: './plugin.js' },
    }),
  );
  await writeFile(
    join(pkg, 'plugin.js'),
    `import { writeFileSync } from 'node:fs';
     writeFileSync(${JSON.stringify(marker)}, 'imported');
     export default { specificationVersion: 'v1', createBackends: () => [] };`,
  );
});

const imported = () =>
  access(marker).then(
    () => true,
    () => false,
  );

describe('the CLI in a project it is not installed in', () => {
  it("does not import the project's plugins, and says so once on stderr, not in the JSON", async () => {
    const ended = await runNode(['devices', '--json'], {
      cwd: project,
      env: { NPU_FIRST_TRUST_PROJECT: '' },
    });
    expect(ended.code).toBe(0);
    expect(await imported()).toBe(false);
    const devices = JSON.parse(ended.stdout) as { backends: { package?: string }[] };
    expect(JSON.stringify(devices)).not.toContain('untrusted-backend');
    const notes = ended.stderr.split('\n').filter((l) => l.includes('not loading'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('(untrusted-backend)');
    expect(notes[0]).toContain('NPU_FIRST_TRUST_PROJECT=1');
  });

  it('imports them when the user opts in with NPU_FIRST_TRUST_PROJECT=1', async () => {
    const ended = await runNode(['devices', '--json'], {
      cwd: project,
      env: { NPU_FIRST_TRUST_PROJECT: '1' },
    });
    expect(ended.code).toBe(0);
    expect(ended.stderr).not.toContain('not loading');
    expect(await imported()).toBe(true);
  });

  it('refuses an opt-in value it cannot read, and bad time-outs, as INVALID_OPTION', async () => {
    for (const env of [{ NPU_FIRST_TRUST_PROJECT: 'maybe' }, { NPU_FIRST_LOAD_TIMEOUT_MS: '5s' }]) {
      const ended = await runNode(['devices', '--json'], { cwd: project, env });
      expect(ended.code).toBe(2);
      expect(errorCode(ended)).toBe('INVALID_OPTION');
    }
  });
});
