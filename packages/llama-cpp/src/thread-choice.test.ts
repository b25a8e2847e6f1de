import { describe, expect, it } from 'vitest';
import {
  chooseLlamaThreads,
  SMALL_MACHINE_CORES,
  TINY_MODEL_BYTES,
  TINY_MODEL_MAX_THREADS,
} from './thread-choice.js';

const big = 200 * 1024 * 1024;
const tiny = 700 * 1024;

describe('chooseLlamaThreads', () => {
  it('lets the load option win, then the backend default', () => {
    const machine = { logicalCores: 16, mathCores: 16, modelBytes: tiny };
    expect(chooseLlamaThreads({ ...machine, option: 15, backendDefault: 3 })).toEqual({
      threads: 15,
      source: 'load option',
    });
    expect(chooseLlamaThreads({ ...machine, backendDefault: 3 })).toEqual({
      threads: 3,
      source: 'backend default',
    });
  });

  it("reports the count node-llama-cpp runs where it lowers the user's to its cap", () => {
    const machine = { logicalCores: 2, mathCores: 2, modelBytes: big, engineMaxThreads: 4 };
    expect(chooseLlamaThreads({ ...machine, option: 8 })).toEqual({
      threads: 4,
      source: 'engine cap',
    });
    expect(chooseLlamaThreads({ ...machine, option: 3 }).source).toBe('load option');
    expect(chooseLlamaThreads({ ...machine, engineMaxThreads: 0, option: 8 }).threads).toBe(8);
  });

  it("takes the engine's math cores where the machine has cores to spare", () => {
    expect(chooseLlamaThreads({ logicalCores: 16, mathCores: 16, modelBytes: big })).toEqual({
      threads: 16,
      source: 'math cores',
    });
    expect(chooseLlamaThreads({ logicalCores: 16, mathCores: 8, modelBytes: big })).toEqual({
      threads: 8,
      source: 'math cores',
    });
    // SMT on a small machine: the sibling threads are Node's spare.
    expect(chooseLlamaThreads({ logicalCores: 4, mathCores: 2, modelBytes: big })).toEqual({
      threads: 2,
      source: 'math cores',
    });
  });

  it('never takes more than the cores Node may run on (a container sees the host in sysfs)', () => {
    expect(chooseLlamaThreads({ logicalCores: 8, mathCores: 64, modelBytes: big })).toEqual({
      threads: 8,
      source: 'logical cores',
    });
  });

  it('leaves one core to Node on a small machine whose math cores would take them all', () => {
    expect(chooseLlamaThreads({ logicalCores: 2, mathCores: 2, modelBytes: big })).toEqual({
      threads: 1,
      source: 'one core left to Node',
    });
    expect(
      chooseLlamaThreads({
        logicalCores: SMALL_MACHINE_CORES,
        mathCores: SMALL_MACHINE_CORES,
        modelBytes: big,
      }).threads,
    ).toBe(SMALL_MACHINE_CORES - 1);
    expect(chooseLlamaThreads({ logicalCores: 1, mathCores: 1, modelBytes: big }).threads).toBe(1);
    expect(
      chooseLlamaThreads({ logicalCores: SMALL_MACHINE_CORES + 1, mathCores: 5, modelBytes: big })
        .threads,
    ).toBe(SMALL_MACHINE_CORES + 1);
  });

  it('caps a tiny model, and only a tiny one', () => {
    expect(chooseLlamaThreads({ logicalCores: 16, mathCores: 16, modelBytes: tiny })).toEqual({
      threads: TINY_MODEL_MAX_THREADS,
      source: 'small model',
    });
    expect(
      chooseLlamaThreads({ logicalCores: 16, mathCores: 16, modelBytes: TINY_MODEL_BYTES + 1 })
        .threads,
    ).toBe(16);
    // Below the cap the machine's own rule stands, and keeps its reason.
    expect(chooseLlamaThreads({ logicalCores: 2, mathCores: 2, modelBytes: tiny })).toEqual({
      threads: 1,
      source: 'one core left to Node',
    });
  });

  it('falls back to the logical cores where the engine reports no math cores', () => {
    expect(chooseLlamaThreads({ logicalCores: 12, mathCores: 0, modelBytes: big })).toEqual({
      threads: 12,
      source: 'logical cores',
    });
  });
});
