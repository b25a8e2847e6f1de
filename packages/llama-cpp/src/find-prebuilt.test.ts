import { describe, expect, it } from 'vitest';
import { checkLlamaInstall } from './find-prebuilt.js';

describe('checkLlamaInstall', () => {
  it('finds node-llama-cpp and its prebuilt binary for this platform (installed here)', () => {
    expect(checkLlamaInstall()).toEqual({ ok: true });
  });

  it('says which binary package is missing for a platform whose build is not installed', () => {
    const check = checkLlamaInstall('win32-arm64');
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toContain('@node-llama-cpp/win-arm64 is missing');
  });

  it('leaves platforms it does not know to the load', () => {
    expect(checkLlamaInstall('aix-ppc64')).toEqual({ ok: true });
  });
});
