// Child process for models.test.ts: hands each file straight to the real engine glue — ORT's
// `openOrtSession` for .onnx, `loadLlamaSession` for .gguf — bypassing npu-first's own
// format checks, to show what the engines' errors map to. One JSON line per file.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadLlamaSession } from '@npu-first/llama-cpp';
import { loadOrt, openOrtSession } from '@npu-first/onnxruntime';

const dir = process.argv[2];
const device = { name: 'cpu' };
for (const file of (await readdir(dir)).sort()) {
  const path = join(dir, file);
  const model = {
    format: file.endsWith('.gguf') ? 'gguf' : 'onnx',
    name: file,
    path,
    sizeBytes: 0,
  };
  let code;
  let message = '';
  try {
    if (model.format === 'onnx') {
      const session = await openOrtSession(await loadOrt(), 'cpu-test', model, {
        logSeverityLevel: 4,
      });
      await session.release();
    } else {
      const { session } = await loadLlamaSession({
        backendId: 'cpu-test',
        gpu: false,
        model,
        device,
      });
      await session.release();
    }
    code = 'LOADED';
  } catch (error) {
    code = error?.code ?? 'UNTYPED';
    message = String(error?.message);
  }
  process.stdout.write(`${JSON.stringify({ file, code, message })}\n`);
}
process.exit(0);
