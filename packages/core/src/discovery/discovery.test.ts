import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    const runtime = await createRuntime({ roots: [app], env: {}, probeTimeoutMs: 100 });
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
      'backend "x" implements backend spec undefined; this runtime supports v1',
    );
    expect(byId['npu-slow']).toMatchObject({
      available: false,
      reason: 'probe failed: npu-slow probe() did not finish within 100 ms',
    });
    expect(byId['undeclared-backend']).toBeUndefined();

    const model = await runtime.load(MINIMAL_ONNX);
    expect(model.placement.backend).toBe('gpu-js');
    expect(model.placement.attempts[0]).toMatchObject({
      backend: 'npu-slow',
      outcome: 'unavailable',
    });
  });

  it('turns discovery off when backends are passed explicitly', async () => {
    const runtime = await createRuntime({ roots: [app], env: {}, backends: [] });
    expect(await runtime.backends()).toEqual([]);
  });
});
