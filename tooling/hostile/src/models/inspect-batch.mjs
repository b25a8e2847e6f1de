// Child process for models.test.ts: inspects every file in a directory twice (by path, and as
// bytes) and prints one JSON line per file — so a hang or crash in the format checks fails the
// parent's tests instead of killing its runner. After each refusal it inspects a valid model,
// to show the process still answers.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspectModel } from '@npu-first/core';

const [dir, validPath] = process.argv.slice(2);
const codeOf = (promise) =>
  promise.then(
    (d) => `OK:${d.format}`,
    (e) => e?.code ?? `UNTYPED:${e?.message}`,
  );
for (const file of (await readdir(dir)).sort()) {
  const path = join(dir, file);
  const byPath = await codeOf(inspectModel(path));
  const byBytes = await codeOf(inspectModel(await readFile(path)));
  const reason = await inspectModel(path).then(
    () => '',
    (e) => String(e?.message),
  );
  const alive = (await codeOf(inspectModel(validPath))).startsWith('OK:');
  process.stdout.write(`${JSON.stringify({ file, byPath, byBytes, reason, alive })}\n`);
}
