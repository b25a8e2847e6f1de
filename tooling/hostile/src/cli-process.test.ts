import { describe, expect, it } from 'vitest';
import { errorCode, runNode } from './cli-process.js';

describe('the child-process harness', () => {
  it('reads the typed code of a CLI error, and tells a hang from an exit', async () => {
    const missing = await runNode(['run', '/nonexistent/model.onnx', '--json']);
    expect(missing.hung).toBe(false);
    expect(missing.code).toBe(1);
    expect(errorCode(missing)).toBe('MODEL_NOT_FOUND');
    const hang = await runNode(['-e', 'setInterval(() => {}, 1000)'], {
      script: '--input-type=module',
      timeoutMs: 500,
    });
    expect(hang.hung).toBe(true);
    expect(hang.signal).toBe('SIGKILL');
  });
});
