import { cpus } from 'node:os';

/** The facts Apple Silicon detection needs; injectable for tests. */
export interface HostFacts {
  /** `process.platform`'s value (`darwin`, `linux`, `win32`…). */
  readonly platform: string;
  readonly arch: string;
  /** The CPU brand string, e.g. `Apple M2 Pro`. */
  readonly cpuModel: string;
}

/** This machine's platform, architecture and CPU brand. */
export function hostFacts(): HostFacts {
  return {
    platform: process.platform,
    arch: process.arch,
    cpuModel: cpus()[0]?.model.trim() ?? '',
  };
}

/** What Apple Silicon detection found. */
export type AppleSiliconCheck =
  | { readonly found: true; readonly chip: string }
  | { readonly found: false; readonly reason: string };

/**
 * Every Apple Silicon Mac (M1 and later) has a Neural Engine; Intel Macs have none. Node
 * running under Rosetta reports `x64`, and ONNX Runtime's x64 build has no CoreML EP, so
 * only a native arm64 process counts.
 */
export function detectAppleSilicon(facts: HostFacts): AppleSiliconCheck {
  if (facts.platform !== 'darwin') {
    return { found: false, reason: `not macOS on Apple Silicon (${facts.platform} ${facts.arch})` };
  }
  if (facts.arch !== 'arm64') {
    const rosetta = /apple/i.test(facts.cpuModel)
      ? ' — Node runs under Rosetta; use an arm64 Node'
      : '';
    return { found: false, reason: `macOS on ${facts.arch}, not Apple Silicon${rosetta}` };
  }
  const chip = /^Apple /.test(facts.cpuModel) ? facts.cpuModel : 'Apple Silicon';
  return { found: true, chip };
}
