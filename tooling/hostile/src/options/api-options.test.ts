import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createRuntime,
  NpuFirstError,
  type PlacedGraphModel,
  packageRootOf,
  type Runtime,
  tensor,
} from '@npu-first/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SILERO_PATH, sileroFeeds } from './silero-model.js';

/** This package: its devDependencies hold @npu-first/backend-cpu, which discovery finds. */
const ROOT = packageRootOf(import.meta.url);
const env = {};
let runtime: Runtime;
let model: PlacedGraphModel;
let fifo: string;

beforeAll(async () => {
  runtime = await createRuntime({ roots: [ROOT], env });
  model = await runtime.load(SILERO_PATH, { task: 'graph' });
  fifo = join(await mkdtemp(join(tmpdir(), 'npu-first-hostile-')), 'model.onnx');
  if (process.platform !== 'win32') execFileSync('mkfifo', [fifo]);
});
afterAll(() => model?.dispose());

/** The typed code a call failed with (a plain error fails the test). */
async function codeOf(call: () => unknown): Promise<string> {
  const error = await (async () => call())().then(
    () => 'no error',
    (e: unknown) => e,
  );
  if (error === 'no error') return error;
  if (!NpuFirstError.isInstance(error)) throw error;
  return error.code;
}

/** The process still serves: a run on the loaded model works. */
async function stillServes() {
  const out = await model.run(sileroFeeds());
  expect(out.output?.dims).toEqual([1, 1]);
}

const load = (options: object) => () => runtime.load(SILERO_PATH, options as never);

// POSIX only: the FIFO rows need mkfifo.
describe.skipIf(process.platform === 'win32')(
  'hostile options to the API end in a typed error, and the next call works',
  () => {
    it.each<[string, string, () => unknown]>([
      // createRuntime
      [
        'runtime loadTimeoutMs -1',
        'INVALID_OPTION',
        () => createRuntime({ roots: [ROOT], env, loadTimeoutMs: -1 }),
      ],
      [
        'runtime loadTimeoutMs "abc"',
        'INVALID_OPTION',
        () => createRuntime({ roots: [ROOT], env, loadTimeoutMs: 'abc' as never }),
      ],
      [
        'runtime probeTimeoutMs NaN',
        'INVALID_OPTION',
        () => createRuntime({ roots: [ROOT], env, probeTimeoutMs: Number.NaN }),
      ],
      [
        'runtime roots as a string',
        'INVALID_OPTION',
        () => createRuntime({ roots: ROOT as never, env }),
      ],
      [
        'runtime plugins "deny-all"',
        'INVALID_OPTION',
        () => createRuntime({ roots: [ROOT], env, plugins: 'deny-all' as never }),
      ],
      [
        'runtime discover "yes"',
        'INVALID_OPTION',
        () => createRuntime({ roots: [ROOT], env, discover: 'yes' as never }),
      ],
      [
        'runtime env a string',
        'INVALID_OPTION',
        () => createRuntime({ roots: [ROOT], env: 'x' as never }),
      ],
      [
        'runtime probe "soon"',
        'INVALID_OPTION',
        () => createRuntime({ roots: [ROOT], env, probe: 'soon' as never }),
      ],
      [
        'runtime policy npu-frist',
        'INVALID_OPTION',
        () => createRuntime({ roots: [ROOT], env, policy: 'npu-frist' as never }),
      ],
      [
        'NPU_FIRST_POLICY CPU',
        'INVALID_OPTION',
        () => createRuntime({ roots: [ROOT], env: { NPU_FIRST_POLICY: 'CPU' } }),
      ],
      // the model argument
      ['model an ArrayBuffer', 'INVALID_OPTION', () => runtime.load(new ArrayBuffer(8) as never)],
      ['model null', 'INVALID_OPTION', () => runtime.load(null as never)],
      ['model a number', 'INVALID_OPTION', () => runtime.load(7 as never)],
      [
        'model an https URL',
        'INVALID_OPTION',
        () => runtime.load(new URL('https://example.com/m.onnx') as never),
      ],
      ['model a FIFO', 'MODEL_UNREADABLE', () => runtime.load(fifo)],
      ['model /dev/zero', 'MODEL_UNREADABLE', () => runtime.load('/dev/zero')],
      ['model a directory', 'MODEL_UNREADABLE', () => runtime.load(ROOT)],
      ['dryRun of a FIFO', 'MODEL_UNREADABLE', () => runtime.dryRun(fifo)],
      // load options
      ['threads 1024', 'INVALID_OPTION', load({ threads: 1024 })],
      ['loadTimeoutMs -1', 'INVALID_OPTION', load({ loadTimeoutMs: -1 })],
      ['loadTimeoutMs "abc"', 'INVALID_OPTION', load({ loadTimeoutMs: 'abc' })],
      ['policy CPU', 'INVALID_OPTION', load({ policy: 'CPU' })],
      [
        'policy { exclude: [cpu-onnx] }',
        'INVALID_OPTION',
        load({ policy: { exclude: ['cpu-onnx'] } }),
      ],
      [
        'dryRun policy npu-frist',
        'INVALID_OPTION',
        () => runtime.dryRun(SILERO_PATH, { policy: 'npu-frist' as never }),
      ],
      [
        'backendOptions typo interOpThread',
        'INVALID_OPTION',
        load({ backendOptions: { 'cpu-onnxruntime': { interOpThread: 1 } } }),
      ],
      [
        'backendOptions bad executionMode',
        'INVALID_OPTION',
        load({ backendOptions: { 'cpu-onnxruntime': { executionMode: 'fast' } } }),
      ],
      [
        'backendOptions cpu-llamacpp key',
        'INVALID_OPTION',
        load({ backendOptions: { 'cpu-llamacpp': { gpuLayers: 1 } } }),
      ],
      ['backendOptions unknown id', 'INVALID_OPTION', load({ backendOptions: { 'cpu-onnx': {} } })],
      [
        'backendOptions not an object',
        'INVALID_OPTION',
        load({ backendOptions: { 'cpu-onnxruntime': 'fast' } }),
      ],
      [
        'trial.dims of a dimension the model lacks',
        'INVALID_OPTION',
        load({ trial: { dims: { seq: 8 } } }),
      ],
      // run options
      [
        'run outputs "output"',
        'INVALID_OPTION',
        () => model.run(sileroFeeds(), { outputs: 'output' as never }),
      ],
      ['run outputs []', 'INVALID_OPTION', () => model.run(sileroFeeds(), { outputs: [] })],
      [
        'run outputs a name the model lacks',
        'INVALID_OPTION',
        () => model.run(sileroFeeds(), { outputs: ['out'] }),
      ],
      [
        'run an unknown option',
        'INVALID_OPTION',
        () => model.run(sileroFeeds(), { output: ['output'] } as never),
      ],
      // tensor()
      [
        'tensor data shorter than dims',
        'INVALID_INPUT',
        () => tensor('float32', new Float32Array(3), [2, 2]),
      ],
      ['tensor wrong storage', 'INVALID_INPUT', () => tensor('int64', new Int32Array(1) as never)],
      ['tensor negative dims', 'INVALID_INPUT', () => tensor('float32', new Float32Array(0), [-1])],
    ])('%s → %s', async (_label, code, call) => {
      expect(await codeOf(call)).toBe(code);
      await stillServes();
    });

    it('loads what the refused calls got wrong once it is right', async () => {
      const fixed = [
        await runtime.load(pathToFileURL(SILERO_PATH), {
          task: 'graph',
          policy: 'cpu',
          backendOptions: { 'cpu-onnxruntime': { interOpThreads: 1 }, 'npu-openvino': {} },
          trial: { dims: { sequence: 512 } },
        }),
        await runtime.load(
          new Uint8Array(await import('node:fs/promises').then((fs) => fs.readFile(SILERO_PATH))),
          { task: 'graph' },
        ),
      ];
      for (const placed of fixed) {
        const out = await placed.run(sileroFeeds(), { outputs: ['output'] });
        expect(Object.keys(out)).toEqual(['output']);
        await placed.dispose();
      }
    });
  },
);
