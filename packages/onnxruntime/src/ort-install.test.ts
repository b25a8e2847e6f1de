import { describe, expect, it } from 'vitest';
import { checkOrtInstall, ortBinaryDir } from './ort-install.js';

describe('checkOrtInstall', () => {
  it('finds the native binding for this platform (installed here), and its version', async () => {
    // The version the engine itself reports once imported.
    const ort = (await import('onnxruntime-node')).default;
    const version = (ort.env.versions as { node?: string }).node;
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(checkOrtInstall()).toEqual({ ok: true, version });
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
