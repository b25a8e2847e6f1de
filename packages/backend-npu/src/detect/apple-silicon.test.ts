import { describe, expect, it } from 'vitest';
import { detectAppleSilicon } from './apple-silicon.js';

describe('detectAppleSilicon', () => {
  it('finds the Neural Engine only on macOS arm64', () => {
    expect(
      detectAppleSilicon({ platform: 'darwin', arch: 'arm64', cpuModel: 'Apple M2 Pro' }),
    ).toEqual({
      found: true,
      chip: 'Apple M2 Pro',
    });
    expect(detectAppleSilicon({ platform: 'linux', arch: 'x64', cpuModel: 'AMD EPYC' })).toEqual({
      found: false,
      reason: 'not macOS on Apple Silicon (linux x64)',
    });
  });

  it('points at Rosetta when an x64 Node runs on an Apple chip', () => {
    const check = detectAppleSilicon({ platform: 'darwin', arch: 'x64', cpuModel: 'Apple M1' });
    expect(check.found === false && check.reason).toContain('Rosetta');
  });
});
