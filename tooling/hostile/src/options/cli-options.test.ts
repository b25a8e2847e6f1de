import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, runNode } from '../cli-process.js';
import { SILERO_PATH } from './silero-model.js';

let fifo: string;
beforeAll(async () => {
  fifo = join(await mkdtemp(join(tmpdir(), 'npu-first-hostile-cli-')), 'model.onnx');
  if (process.platform !== 'win32') execFileSync('mkfifo', [fifo]);
});

// POSIX only: the FIFO rows need mkfifo.
describe.skipIf(process.platform === 'win32')(
  'hostile CLI options end in a typed usage error, without a hang',
  () => {
    it.each<[string, string, () => string[], Record<string, string>?]>([
      [
        '--dim for a dimension the model lacks',
        'INVALID_OPTION',
        () => ['run', SILERO_PATH, '--dim', 'seq=8'],
      ],
      [
        '--dim of a billion samples',
        'INVALID_OPTION',
        () => ['run', SILERO_PATH, '--dim', 'sequence=1e9'],
      ],
      ['--dim of zero', 'INVALID_OPTION', () => ['run', SILERO_PATH, '--dim', 'sequence=0']],
      ['--policy npu-frist', 'INVALID_OPTION', () => ['run', SILERO_PATH, '--policy', 'npu-frist']],
      ['--policy CPU', 'INVALID_OPTION', () => ['run', SILERO_PATH, '--policy', 'CPU']],
      [
        'NPU_FIRST_POLICY=cpu-onnx',
        'INVALID_OPTION',
        () => ['run', SILERO_PATH],
        { NPU_FIRST_POLICY: 'cpu-onnx' },
      ],
      ['--threads 1024', 'INVALID_OPTION', () => ['run', SILERO_PATH, '--threads', '1024']],
      ['a FIFO as the model', 'MODEL_UNREADABLE', () => ['run', fifo]],
      ['/dev/zero as the model', 'MODEL_UNREADABLE', () => ['run', '/dev/zero']],
      ['a FIFO to inspect', 'MODEL_UNREADABLE', () => ['inspect', fifo, '--json']],
    ])('%s → %s', async (_label, code, args, env) => {
      const ended = await runNode([...args(), '--json'], { timeoutMs: 60_000, env });
      expect(ended.hung).toBe(false);
      expect(errorCode(ended)).toBe(code);
      expect(ended.code).not.toBe(0);
    });

    it('runs the model once the options are right', async () => {
      const ended = await runNode(['run', SILERO_PATH, '--dim', 'sequence=512', '--json']);
      expect(errorCode(ended)).toBeUndefined();
      expect(ended.code).toBe(0);
      expect(JSON.parse(ended.stdout).inputs.input.dims).toEqual([1, 512]);
    });
  },
);
