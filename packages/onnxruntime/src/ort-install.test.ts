import { describe, expect, it } from 'vitest';
import { checkOrtInstall, ortBinaryDir } from './ort-install.js';

describe('checkOrtInstall', () => {
  it('finds the native binding for this platform (installed here)', () => {
    expect(checkOrtInstall()).toEqual({ ok: true });
    expect(ortBinaryDir()).toMatch(/onnxruntime-node\/bin\/napi-v6\/linux\/x64$/);
  });

  it('names the folder it looked in for a platform without a build', () => {
    const check = checkOrtInstall('linux', 'riscv64');
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(
      /ships no binary for linux-riscv64 \(looked in .*napi-v6\/linux\/riscv64\)/,
    );
  });
});
