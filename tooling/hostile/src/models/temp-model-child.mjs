// Child process for temp-model.test.ts: loads a GGUF from bytes (so llama-cpp writes it to a
// temporary file under $TMPDIR), then ends the way argv[3] says.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadLlamaSession } from '@npu-first/llama-cpp';

const [path, ending] = process.argv.slice(2);
const bytes = new Uint8Array(await readFile(path));
const model = { format: 'gguf', name: '<bytes>', bytes, sizeBytes: bytes.byteLength };
const { session } = await loadLlamaSession({
  backendId: 'cpu-test',
  gpu: false,
  model,
  device: { name: 'cpu' },
});
process.stdout.write('loaded\n');
if (ending === 'dispose') {
  await session.release();
  process.stdout.write(`disposed, ${readdirSync(process.env.TMPDIR).length} entries left\n`);
  process.exit(0);
} else if (ending === 'exit') {
  process.exit(0);
} else if (ending === 'app-handler') {
  process.on('SIGTERM', () => process.exit(3));
  process.kill(process.pid, 'SIGTERM');
} else {
  process.kill(process.pid, ending);
  setInterval(() => {}, 1000);
}
