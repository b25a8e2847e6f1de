// Loads and runs Silero VAD through @npu-first/onnxruntime's loadOrt (the way every backend
// reaches onnxruntime-node), then stays alive: ONNX Runtime's uploader first dials out ~10 s in.
// Usage: node ort-load-child.mjs <model.onnx> <stay-ms>
import { loadOrt } from '@npu-first/onnxruntime';

const [model, stayMs] = process.argv.slice(2);
const ort = await loadOrt();
const session = await ort.InferenceSession.create(model);
const out = await session.run({
  input: new ort.Tensor('float32', new Float32Array(512), [1, 512]),
  state: new ort.Tensor('float32', new Float32Array(256), [2, 1, 128]),
  sr: new ort.Tensor('int64', BigInt64Array.from([16000n]), []),
});
process.stdout.write(`ran ${Object.keys(out).join(',')} pid ${process.pid}\n`);
await new Promise((resolve) => setTimeout(resolve, Number(stayMs)));
