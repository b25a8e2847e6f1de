// Derives a CoreML-shaped ONNX Runtime profile from a profile recorded here on the CPU EP,
// because no Apple Silicon machine is available to record one. It is a fixture for the
// coverage parser, not a measurement; the rules, so a reader can judge it:
// - Node events keep their recorded order, durations and fields.
// - Main-graph nodes whose op the CoreML EP has a builder for (list below, from
//   onnxruntime/core/providers/coreml/builders/op_builder_factory.cc) join a partition; a run
//   of such nodes between unsupported ones becomes one fused kernel, named the way ORT names
//   compiled-EP nodes: node `CoreMLExecutionProvider_CoreML_<hash>_<k>_<k>`, op `CoreML_<hash>_<k>`,
//   duration the sum of the run. ORT partitions by graph connectivity, not run order: an approximation.
// - Nodes inside If/Loop subgraphs stay on the CPU (the ANE flags do not enable subgraphs), as
//   do If, LSTM, Size and Pad in reflect mode (assumed unsupported: the builder takes constant padding).
// Usage: node scripts/derive-coreml-profile.mjs (from packages/backend-npu)
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'op-coverage',
  '__fixtures__',
);
const source = 'cpu-ep-silero-vad-16k-op15.profile.json';
const COREML_OPS = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Sqrt',
  'Relu',
  'Sigmoid',
  'Tanh',
  'Cast',
  'Concat',
  'Conv',
  'FusedConv',
  'Gather',
  'Gemm',
  'MatMul',
  'Identity',
  'Reshape',
  'Shape',
  'Slice',
  'Softmax',
  'Split',
  'Squeeze',
  'Unsqueeze',
  'Transpose',
  'ReduceMean',
  'ReduceSum',
  'Equal',
  'Not',
]);

const events = JSON.parse(await readFile(join(fixtures, source), 'utf8'));
const executes = events.filter((e) => e.name === 'SequentialExecutor::Execute');
const outer = executes.reduce((a, b) => (b.dur > a.dur ? b : a));
const nested = executes.filter((e) => e !== outer);
const inSubgraph = (e) => nested.some((s) => e.ts >= s.ts && e.ts <= s.ts + s.dur);

const hash = '9283156489205715841';
const out = [];
let run = [];
let k = 0;
const flush = () => {
  if (run.length === 0) return;
  const first = run[0];
  const id = `CoreML_${hash}_${k}`;
  out.push({
    ...first,
    dur: run.reduce((n, e) => n + e.dur, 0),
    name: `CoreMLExecutionProvider_${id}_${k}_kernel_time`,
    args: { ...first.args, op_name: id, provider: 'CoreMLExecutionProvider' },
  });
  k++;
  run = [];
};
for (const e of events) {
  const node = e.cat === 'Node';
  if (node && !inSubgraph(e) && COREML_OPS.has(e.args.op_name)) {
    run.push(e);
    continue;
  }
  if (node) flush();
  out.push(e);
}
flush();
const body = out.map((e) => JSON.stringify(e)).join(',\n');
await writeFile(
  join(fixtures, 'coreml-derived-silero-vad-16k-op15.profile.json'),
  `[\n${body}\n]\n`,
);
console.log(
  `${k} CoreML partitions from ${events.filter((e) => e.cat === 'Node').length} node events`,
);
