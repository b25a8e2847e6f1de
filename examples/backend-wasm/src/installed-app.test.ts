import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMlp } from '@npu-first/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { installPacked, runInApp } from '../../../tooling/package-checks/src/install-packed.js';

/** What the application installs: core, the CPU backend (and the glue it needs), and this plugin. */
const PACKAGES = [
  'packages/core',
  'packages/onnxruntime',
  'packages/llama-cpp',
  'packages/backend-cpu',
  'examples/backend-wasm',
];

let app: string;

/**
 * An application outside the workspace, as a user would have it: packed tarballs installed
 * with npm into a temporary folder (install scripts off), started from another directory.
 */
beforeAll(async () => {
  app = await installPacked(PACKAGES, 'module');
  await writeFile(join(app, 'model.onnx'), buildMlp().bytes);
  await writeFile(
    join(app, 'main.js'),
    `import { createRuntime, tensor } from '@npu-first/core';
     import { fileURLToPath } from 'node:url';
     const model = fileURLToPath(new URL('model.onnx', import.meta.url));
     const runtime = await createRuntime();
     const backends = (await runtime.backends()).map((b) => ({ id: b.id, package: b.package, available: b.available }));
     const x = tensor('float32', new Float32Array(8).fill(0.5), [2, 4]);
     const byDefault = await runtime.load(model, { task: 'graph' });
     const pinned = await runtime.load(model, { task: 'graph', policy: 'cpu-onnxruntime-web' });
     const [a, b] = [await byDefault.run({ x }), await pinned.run({ x })];
     console.log(JSON.stringify({
       backends,
       byDefault: byDefault.placement.backend,
       selection: byDefault.placement.selection.method,
       timed: byDefault.placement.attempts.filter((a) => a.measurement).map((a) => a.backend),
       pinned: pinned.placement.backend,
       same: Array.from(a.y.data).every((v, i) => Math.abs(v - b.y.data[i]) < 1e-5),
     }));`,
  );
}, 300_000);

describe('an application that installs packed packages', () => {
  it('discovers core, the CPU backend and the plugin, times both engines, and the policy can pin the plugin', async () => {
    const result = JSON.parse(await runInApp(app, 'main.js'));
    expect(result.backends).toEqual(
      expect.arrayContaining([
        { id: 'cpu-onnxruntime', package: '@npu-first/backend-cpu', available: true },
        { id: 'cpu-onnxruntime-web', package: 'npu-first-backend-wasm', available: true },
        // node-llama-cpp is an optional peer the app did not install.
        { id: 'cpu-llamacpp', package: '@npu-first/backend-cpu', available: false },
      ]),
    );
    // Two CPU engines can serve the model: both are timed, and one of them serves it.
    expect(result.selection).toBe('trial');
    expect(result.timed).toEqual(['cpu-onnxruntime', 'cpu-onnxruntime-web']);
    expect(['cpu-onnxruntime', 'cpu-onnxruntime-web']).toContain(result.byDefault);
    expect(result.pinned).toBe('cpu-onnxruntime-web');
    expect(result.same).toBe(true);
  });

  it('still discovers and runs a plugin written against backend spec v1, unchanged', async () => {
    // Installed beside the v2 plugin, as an npm package a third party published before v2.
    const fixture = fileURLToPath(new URL('__fixtures__/v1-wasm-plugin', import.meta.url));
    await cp(fixture, join(app, 'node_modules', 'npu-first-fixture-v1-wasm'), { recursive: true });
    const manifest = JSON.parse(await readFile(join(app, 'package.json'), 'utf8'));
    manifest.dependencies['npu-first-fixture-v1-wasm'] = '0.0.0';
    await writeFile(join(app, 'package.json'), JSON.stringify(manifest));
    await writeFile(
      join(app, 'v1.js'),
      `import { createRuntime, tensor } from '@npu-first/core';
       import { fileURLToPath } from 'node:url';
       const model = fileURLToPath(new URL('model.onnx', import.meta.url));
       const runtime = await createRuntime({ env: { NPU_FIRST_PLACEMENT_CACHE: 'off' } });
       const report = (await runtime.backends()).find((b) => b.id === 'cpu-fixture-v1-wasm');
       const x = tensor('float32', new Float32Array(8).fill(0.25), [2, 4]);
       const v1 = await runtime.load(model, { task: 'graph', policy: 'cpu-fixture-v1-wasm' });
       const v2 = await runtime.load(model, { task: 'graph', policy: 'cpu-onnxruntime-web' });
       const [a, b] = [await v1.run({ x }), await v2.run({ x })];
       const code = (work) => work.then(() => 'resolved', (e) => e.code);
       const unknownOutput = await code(v1.run({ x }, { outputs: ['nope'] }));
       const badFeed = await code(v1.run({ x: tensor('float32', new Float32Array(3), [3]) }));
       await Promise.all([v1.dispose(), v1.dispose()]);
       console.log(JSON.stringify({
         report: { package: report?.package, available: report?.available },
         backend: v1.placement.backend,
         selected: v1.placement.attempts.find((a) => a.outcome === 'selected')?.reason,
         same: Array.from(a.y.data).every((v, i) => Math.abs(v - b.y.data[i]) < 1e-5),
         unknownOutput,
         badFeed,
         afterDispose: await code(v1.run({ x })),
       }));`,
    );
    const result = JSON.parse(await runInApp(app, 'v1.js'));
    expect(result).toEqual({
      report: { package: 'npu-first-fixture-v1-wasm', available: true },
      backend: 'cpu-fixture-v1-wasm',
      // Its placementNote reaches the trace, as it did under v1.
      selected: 'runs on WebAssembly (v1 fixture): a v1 plugin',
      same: true,
      unknownOutput: 'INVALID_OPTION',
      badFeed: 'INVALID_INPUT',
      afterDispose: 'MODEL_DISPOSED',
    });
  });
});
