import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A backend plugin that kills its own process, the way a native engine's assertion does:
 * `cpu-crash-load` calls `process.abort()` in `load()`, `cpu-crash-run` loads and aborts on
 * the first `run()`, and so does `cpu-crash-serve`, whose model declares Silero VAD's inputs
 * (so a failover test can send real feeds). A fault under test, not an engine mock: the real engines still serve
 * everything else. Written as a tiny application folder whose one dependency is the plugin;
 * pass it as a discovery root beside a folder that installs the real backends.
 */
export async function writeCrashFixture(): Promise<string> {
  const app = await mkdtemp(join(tmpdir(), 'npu-first-crash-'));
  const pkg = join(app, 'node_modules', 'npu-first-backend-crash');
  await mkdir(pkg, { recursive: true });
  await writeFile(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'crash-app',
      private: true,
      dependencies: { 'npu-first-backend-crash': '1.0.0' },
    }),
  );
  await writeFile(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: 'npu-first-backend-crash',
      version: '1.0.0',
      type: 'module',
      'npu-first': { specificationVersion: 'v1', plugin: './plugin.js' },
    }),
  );
  await writeFile(join(pkg, 'plugin.js'), PLUGIN);
  return app;
}

const PLUGIN = `
const device = { name: 'crash fixture' };
const backend = (id, priority, load) => ({
  specificationVersion: 'v1', id, deviceKind: 'cpu', priority,
  formats: ['onnx'], tasks: ['graph'],
  async probe() { return { available: true, devices: [device] }; },
  load,
});
const info = [{ name: 'x', type: 'float32', shape: [1] }];
const silero = [
  { name: 'input', type: 'float32', shape: [1, null] },
  { name: 'state', type: 'float32', shape: [2, 1, 128] },
  { name: 'sr', type: 'int64', shape: [] },
];
const crashOnRun = (inputs) => async () => ({
  task: 'graph', inputs, outputs: info, device,
  async run() { await new Promise((r) => setTimeout(r, 50)); process.abort(); },
  async dispose() {},
  async [Symbol.asyncDispose]() {},
});
export default {
  specificationVersion: 'v1',
  createBackends: () => [
    backend('cpu-crash-load', 100, async () => process.abort()),
    backend('cpu-crash-run', 90, crashOnRun(info)),
    backend('cpu-crash-serve', 80, crashOnRun(silero)),
  ],
};
`;
