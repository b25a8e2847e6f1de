import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { MINIMAL_ONNX } from '../chain/__fixtures__/test-backends.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { findBackendPackages } from './find-packages.js';

/**
 * Builds an application folder with installed packages, as npm lays them out, and checks
 * what the runtime discovers. Each plugin is real code imported from disk.
 */
let app: string;

const BACKEND = (
  id: string,
  kind: string,
  probe = 'async () => ({ available: true, devices: [{ name: "js" }] })',
) => `{
  specificationVersion: 'v1', id: '${id}', deviceKind: '${kind}', formats: ['onnx'], tasks: ['graph'],
  probe: ${probe},
  load: async () => ({ task: 'graph', inputs: [], outputs: [], device: { name: '${id} device' },
    run: async () => ({}), dispose: async () => {}, [Symbol.asyncDispose]: async () => {} }),
}`;

async function installPackage(name: string, pkg: Record<string, unknown>, plugin?: string) {
  const dir = join(app, 'node_modules', name);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.2.3', type: 'module', ...pkg }),
  );
  if (plugin !== undefined) await writeFile(join(dir, 'plugin.js'), plugin);
}

const manifest = { 'npu-first': { specificationVersion: 'v1', plugin: './plugin.js' } };

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), 'npu-first-app-'));
  const deps = [
    'good-backend',
    'broken-import',
    'wrong-version',
    'plain-lib',
    'bad-shape',
    'slow-probe',
    'hanging-import',
    'not-installed',
  ];
  await writeFile(
    join(app, 'package.json'),
    JSON.stringify({ name: 'app', dependencies: Object.fromEntries(deps.map((d) => [d, '*'])) }),
  );
  await installPackage(
    'good-backend',
    manifest,
    `export default { specificationVersion: 'v1', createBackends: () => [${BACKEND('gpu-js', 'gpu')}] };`,
  );
  await installPackage('broken-import', manifest, `throw new Error('native addon missing');`);
  await installPackage(
    'wrong-version',
    { 'npu-first': { specificationVersion: 'v9', plugin: './plugin.js' } },
    'export default {}',
  );
  await installPackage('plain-lib', {}, undefined);
  await installPackage(
    'bad-shape',
    manifest,
    `export default { specificationVersion: 'v1', createBackends: () => [{ id: 'x' }] };`,
  );
  await installPackage(
    'slow-probe',
    manifest,
    `export default { specificationVersion: 'v1', createBackends: () => [${BACKEND('npu-slow', 'npu', '() => new Promise(() => {})')}] };`,
  );
  await installPackage(
    'hanging-import',
    manifest,
    'await new Promise(() => {}); export default {};',
  );
  // A package on disk that the application does not depend on must never be loaded.
  await installPackage('undeclared-backend', manifest, `throw new Error('must not be imported');`);
  await mkdir(join(app, 'src', 'deep'), { recursive: true });
});

describe('discovery', () => {
  it('finds only declared dependencies that carry an npu-first manifest', () => {
    const names = findBackendPackages([app])
      .map((p) => p.name)
      .sort();
    expect(names).toEqual([
      'bad-shape',
      'broken-import',
      'good-backend',
      'hanging-import',
      'slow-probe',
      'wrong-version',
    ]);
  });

  it('works from a sub-folder of the application', () => {
    expect(findBackendPackages([join(app, 'src', 'deep')]).map((p) => p.name)).toContain(
      'good-backend',
    );
  });

  it('reports broken plugins with their reasons and keeps serving with the good ones', async () => {
    const runtime = await createRuntime({
      roots: [app],
      env: {},
      probeTimeoutMs: 100,
      pluginTimeoutMs: 200,
    });
    const reports = await runtime.backends();
    const byId = Object.fromEntries(reports.map((r) => [r.id, r]));
    expect(byId['gpu-js']).toMatchObject({
      available: true,
      source: 'discovered',
      package: 'good-backend',
      deviceKind: 'gpu',
    });
    expect(byId['broken-import']?.reason).toContain('native addon missing');
    expect(byId['wrong-version']?.reason).toContain('implements backend spec "v9"');
    expect(byId['bad-shape']?.reason).toBe(
      'backend "x" implements backend spec undefined; this runtime supports v1, v2',
    );
    expect(byId['npu-slow']).toMatchObject({
      available: false,
      reason: 'probe failed: npu-slow probe() did not finish within 100 ms',
    });
    expect(byId['hanging-import']?.reason).toBe(
      'importing hanging-import and creating its backends did not finish within 200 ms',
    );
    expect(byId['undeclared-backend']).toBeUndefined();

    const model = await runtime.load(MINIMAL_ONNX);
    expect(model.placement.backend).toBe('gpu-js');
    // Plugins that could not be imported open the trace (their tier is unknown), with the code.
    const unloadable = model.placement.attempts.filter((a) => a.deviceKind === null);
    expect(Object.fromEntries(unloadable.map((a) => [a.backend, a.code]))).toEqual({
      'bad-shape': 'PLUGIN_INVALID',
      'broken-import': 'PLUGIN_INVALID',
      'hanging-import': 'TIMEOUT',
      'wrong-version': 'PLUGIN_INVALID',
    });
    expect(model.placement.attempts.find((a) => a.backend === 'hanging-import')).toMatchObject({
      outcome: 'unavailable',
      reason:
        'plugin package hanging-import could not be loaded: importing hanging-import and creating its backends did not finish within 200 ms',
    });
    expect(model.placement.attempts[unloadable.length]).toMatchObject({
      backend: 'npu-slow',
      outcome: 'unavailable',
    });
  });

  it('honours allow- and deny-lists from options and the environment, without importing', async () => {
    const denied = await createRuntime({
      roots: [app],
      env: { NPU_FIRST_PLUGINS_DENY: 'slow-probe' },
      plugins: { deny: ['broken-import', 'hanging-import'] },
      pluginTimeoutMs: 200,
    });
    const reports = Object.fromEntries((await denied.backends()).map((r) => [r.id, r.reason]));
    expect(reports['broken-import']).toBe('not loaded: the plugin deny-list names it');
    expect(reports['slow-probe']).toBe('not loaded: the plugin deny-list names it');
    expect(reports['gpu-js']).toBeUndefined();
    const allowed = await createRuntime({
      roots: [app],
      env: { NPU_FIRST_PLUGINS_ALLOW: 'good-backend' },
    });
    const ids = (await allowed.backends()).filter((r) => r.available).map((r) => r.id);
    expect(ids).toEqual(['gpu-js']);
    expect((await allowed.backends()).find((r) => r.id === 'wrong-version')?.reason).toBe(
      'not loaded: it is not on the plugin allow-list',
    );
  });

  it('finds the backends of an application started from another directory', async () => {
    // The app links the core it uses, as an installed app would have it.
    await mkdir(join(app, 'node_modules', '@npu-first'), { recursive: true });
    await symlink(
      join(import.meta.dirname, '..', '..'),
      join(app, 'node_modules', '@npu-first', 'core'),
    );
    await writeFile(
      join(app, 'src', 'main.mjs'),
      `import { createRuntime } from '@npu-first/core';
       const runtime = await createRuntime({ plugins: { allow: ['good-backend'] } });
       console.log(JSON.stringify((await runtime.backends()).filter((b) => b.available).map((b) => b.id)));`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, [join(app, 'src', 'main.mjs')], {
      cwd: '/',
    });
    expect(JSON.parse(stdout)).toEqual(['gpu-js']);
  });

  it.each([
    ['a path that climbs out of the package', '../../../outside/payload.js', 'outside the package'],
    ['an absolute path', '/outside/payload.js', 'does not exist'],
    ['a symlink that leads out', './linked.js', 'outside the package'],
    ['a missing file', './nowhere.js', 'does not exist'],
  ])('never imports a plugin entry outside its package: %s', async (_, plugin, why) => {
    const dir = await mkdtemp(join(tmpdir(), 'npu-first-escape-'));
    // The payload would record its import; a test that finds the marker has been attacked.
    const marker = join(dir, 'imported');
    const payload = `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'x'); export default {};`;
    await mkdir(join(dir, 'outside'), { recursive: true });
    await writeFile(join(dir, 'outside', 'payload.js'), payload);
    const pkgDir = join(dir, 'app', 'node_modules', 'escaping');
    await mkdir(pkgDir, { recursive: true });
    await writeFile(
      join(dir, 'app', 'package.json'),
      JSON.stringify({ name: 'app', dependencies: { escaping: '*' } }),
    );
    await writeFile(
      join(pkgDir, 'package.json'),
      JSON.stringify({
        name: 'escaping',
        type: 'module',
        'npu-first': { specificationVersion: 'v1', plugin },
      }),
    );
    await symlink(join(dir, 'outside', 'payload.js'), join(pkgDir, 'linked.js'));
    const runtime = await createRuntime({ roots: [join(dir, 'app')], env: {} });
    const report = (await runtime.backends()).find((r) => r.id === 'escaping');
    expect(report?.available).toBe(false);
    expect(report?.reason).toContain(why);
    await expect(access(marker)).rejects.toThrow();
  });

  it('turns discovery off when backends are passed explicitly', async () => {
    const runtime = await createRuntime({ roots: [app], env: {}, backends: [] });
    expect(await runtime.backends()).toEqual([]);
  });
});
