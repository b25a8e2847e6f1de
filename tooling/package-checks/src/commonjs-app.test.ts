import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildMlp } from '@npu-first/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { installPacked, runInApp } from './install-packed.js';

let app: string;

/**
 * A CommonJS application (its package.json has no "type") with the packed core and CPU backend
 * installed by npm. The packages are ES modules; the `default` export condition lets `require()`
 * load them (Node ≥ 20.19 requires ES modules without top-level await).
 */
beforeAll(async () => {
  app = await installPacked(
    ['packages/core', 'packages/onnxruntime', 'packages/llama-cpp', 'packages/backend-cpu'],
    'commonjs',
  );
  await writeFile(join(app, 'model.onnx'), buildMlp().bytes);
  await writeFile(
    join(app, 'main.js'),
    `const { join } = require('node:path');
     const { createRuntime, tensor } = require('@npu-first/core');
     const backendCpu = require('@npu-first/backend-cpu');
     (async () => {
       const runtime = await createRuntime();
       const model = await runtime.load(join(__dirname, 'model.onnx'), { task: 'graph' });
       const { y } = await model.run({ x: tensor('float32', new Float32Array(8).fill(0.5), [2, 4]) });
       console.log(JSON.stringify({
         isCommonJs: typeof module === 'object' && typeof require === 'function',
         backendIds: [backendCpu.CPU_ONNX_BACKEND_ID, backendCpu.CPU_LLAMA_BACKEND_ID],
         placed: model.placement.backend,
         dims: y.dims,
         finite: Array.from(y.data).every(Number.isFinite),
       }));
       await model.dispose();
     })().catch((error) => { console.error(error); process.exit(1); });`,
  );
}, 300_000);

describe('a CommonJS application that installs the packed packages', () => {
  it('requires @npu-first/core and @npu-first/backend-cpu, loads an ONNX model and runs it', async () => {
    const result = JSON.parse(await runInApp(app, 'main.js'));
    expect(result).toEqual({
      isCommonJs: true,
      backendIds: ['cpu-onnxruntime', 'cpu-llamacpp'],
      placed: 'cpu-onnxruntime',
      dims: [2, 3],
      finite: true,
    });
  });
});
