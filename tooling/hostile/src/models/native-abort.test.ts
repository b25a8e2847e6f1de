import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTinyLlamaGgufWith, patchGguf } from '@npu-first/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, runNode } from '../cli-process.js';
import { NATIVE_ABORTS } from './gguf-variants.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hostile-abort-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bare = new Uint8Array(24);
bare.set([0x47, 0x47, 0x55, 0x46, 3]);
const hugeCounts = patchGguf(patchGguf(bare, 8, 2n ** 63n - 1n, 8), 16, 2n ** 63n - 1n, 8);

const cases: [string, Uint8Array, string][] = [
  // Once spun node-llama-cpp's JS parser for minutes, growing to gigabytes.
  ['24-byte GGUF claiming 2^63−1 tensors and keys', hugeCounts, 'chat'],
  ['24-byte GGUF claiming 2^63−1 tensors and keys', hugeCounts, 'inspect'],
  // Each once aborted the whole process in llama.cpp's loader (SIGABRT).
  ...Object.entries(NATIVE_ABORTS).map(([name, edits]): [string, Uint8Array, string] => [
    name,
    buildTinyLlamaGgufWith(edits),
    'chat',
  ]),
];

// One child per case: these are the inputs that killed or hung the process before the fix.
describe('GGUF files that crashed or hung the engine end in MODEL_CORRUPT, process intact', () => {
  it.each(
    cases.map(([name, bytes, command], i) => [`${command}: ${name}`, bytes, command, i] as const),
  )('%s', async (_name, bytes, command, i) => {
    const file = join(dir, `case-${i}.gguf`);
    await writeFile(file, bytes);
    // `chat` prints `error [CODE] …`; `inspect --json` one JSON document.
    const args = command === 'chat' ? [command, file] : [command, file, '--json'];
    const ended = await runNode(args, { timeoutMs: 60_000, stdin: 'hi\n' });
    expect(ended.hung).toBe(false);
    expect(ended.signal).toBe(null);
    expect(errorCode(ended), ended.stderr + ended.stdout).toBe('MODEL_CORRUPT');
    expect(ended.code).toBe(1);
  });
});
