import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildMlp } from '@npu-first/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { packByName } from './install-packed.js';
import { PUBLISHED, REPO } from './published-packages.js';

const run = promisify(execFile);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** The README's "Use it in an application" section: its `npm install` lines and first TS example. */
async function readmeSection(): Promise<{ installs: string[][]; example: string }> {
  const readme = await readFile(join(REPO, 'README.md'), 'utf8');
  const section = readme.split('\n## Use it in an application\n')[1]?.split('\n## ')[0] ?? '';
  const sh = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const installs = sh
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.startsWith('npm install '))
    .map((line) => line.split(/\s+/).slice(2));
  return { installs, example: /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '' };
}

const { NODE_PATH: _, ...env } = process.env;
let app: string;
let tarballs: Map<string, string>;
let installs: string[][];
let example: string;

/** Runs a command in the app as a user would: without the NODE_PATH pnpm gives test runs. */
const inApp = (command: string, args: string[]) =>
  run(command, args, { cwd: app, env, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });

/** One README install line, the packed tarballs standing in for the registry's packages. */
const npmInstall = (names: string[]) =>
  inApp('npm', [
    'install',
    ...names.map((name) => tarballs.get(name) ?? name),
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--loglevel=error',
  ]);

beforeAll(async () => {
  ({ installs, example } = await readmeSection());
  const root = await mkdtemp(join(tmpdir(), 'npu-first-readme-app-'));
  tarballs = await packByName(PUBLISHED, join(root, 'packs'));
  app = join(root, 'app');
  await mkdir(app);
  // The packages a README line does not name come in as dependencies of those it does; overrides
  // point npm at their tarballs, as the registry would serve them.
  const named = new Set(installs.flat());
  const overrides = Object.fromEntries(
    [...tarballs].filter(([name]) => !named.has(name)).map(([name, t]) => [name, `file:${t}`]),
  );
  await writeFile(
    join(app, 'package.json'),
    JSON.stringify({ name: 'readme-app', private: true, type: 'module', overrides }),
  );
  await writeFile(join(app, 'model.onnx'), buildMlp().bytes);
  // The example, compiled under strict against the installed declarations.
  await writeFile(join(app, 'main.ts'), example);
  await writeFile(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        strict: true,
        skipLibCheck: true,
        lib: ['ES2023', 'DOM'],
        types: [],
      },
      files: ['main.ts'],
    }),
  );
}, 300_000);

describe("the README's install, in a fresh npm app from the packed tarballs", () => {
  it('the README installs core and the CPU backend first, then the rest and the CLI', () => {
    expect(installs[0]).toEqual(['@npu-first/core', '@npu-first/backend-cpu']);
    expect(installs.flat()).toEqual(expect.arrayContaining(['npu-first', 'node-llama-cpp']));
    expect(example).toContain("runtime.load('model.onnx'");
  });

  it('core + backend-cpu alone install what they import: the first example compiles and runs', async () => {
    await npmInstall(installs[0] ?? []);
    const cpu = JSON.parse(
      await readFile(join(app, 'node_modules/@npu-first/backend-cpu/package.json'), 'utf8'),
    );
    expect(Object.keys(cpu.dependencies)).toEqual(
      expect.arrayContaining(['@npu-first/core', '@npu-first/onnxruntime', '@npu-first/llama-cpp']),
    );
    expect(JSON.stringify(cpu.dependencies)).not.toContain('workspace:');
    await inApp(process.execPath, [tsc, '-p', app]);
    const { stdout } = await inApp(process.execPath, [join(app, 'main.js')]);
    expect(stdout).toContain("backend: 'cpu-onnxruntime'");
  }, 600_000);

  it('the remaining lines install, and the installed CLI answers --help and devices --json', async () => {
    for (const names of installs.slice(1)) await npmInstall(names);
    // Checked first: npx fetches a package from the registry when no local bin has its name.
    await expect(access(join(app, 'node_modules/.bin/npu-first'))).resolves.toBeUndefined();
    const help = await inApp('npx', ['npu-first', '--help']);
    expect(help.stdout).toContain('devices');
    const devices = JSON.parse((await inApp('npx', ['npu-first', 'devices', '--json'])).stdout);
    const cpu = devices.backends.find((b: { id: string }) => b.id === 'cpu-onnxruntime');
    expect(cpu).toMatchObject({ available: true, package: '@npu-first/backend-cpu' });
  }, 900_000);

  it("onnxruntime-node's install script needs the network on Linux x64, and the README's switch skips it", async () => {
    // The script's downloads go through global-agent: a proxy on a closed port stands for no internet.
    const offline = { ...env, GLOBAL_AGENT_HTTPS_PROXY: 'http://127.0.0.1:9' };
    const rebuild = (...flags: string[]) =>
      run('npm', ['rebuild', 'onnxruntime-node', '--loglevel=error', ...flags], {
        cwd: app,
        env: offline,
        timeout: 120_000,
      });
    if (process.platform === 'linux' && process.arch === 'x64')
      await expect(rebuild()).rejects.toThrow('node ./script/install');
    await expect(rebuild('--onnxruntime-node-install=skip')).resolves.toBeDefined();
    const { stdout } = await inApp(process.execPath, [join(app, 'main.js')]);
    expect(stdout).toContain("backend: 'cpu-onnxruntime'");
  }, 300_000);
});
