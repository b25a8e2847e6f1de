import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectModel } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import { SILERO_PATH } from '../__fixtures__/real-models.js';
import { COREML_PROVIDER } from '../coreml/coreml-flags.js';
import { readOnnxGraphFacts, workNodeCount } from '../preflight/onnx-input-shapes.js';
import { DEFAULT_MIN_NPU_COVERAGE, judgeCoverage } from './coverage-threshold.js';
import { describeCoverage, parseProfile } from './parse-profile.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');
/** Profiles recorded here from real CPU-EP sessions (scripts/record-cpu-profiles.mjs). */
const recorded = async (name: string): Promise<unknown[]> =>
  JSON.parse(await readFile(join(fixtures, `${name}.profile.json`), 'utf8'));
const sileroNodes = workNodeCount(await readOnnxGraphFacts(await inspectModel(SILERO_PATH)));

describe('parseProfile on profiles recorded from real sessions', () => {
  it('a CPU-only session: nothing on the NPU, every op type listed as fallen back', async () => {
    const coverage = parseProfile(
      await recorded('cpu-ep-silero-vad-16k-op15'),
      COREML_PROVIDER,
      sileroNodes,
    );
    expect(coverage).toMatchObject({ npuNodes: 0, npuKernels: 0, ratio: 0, cpuNodes: 58 });
    // 72 graph nodes that do work (121 less 49 Constant nodes); ORT ran 58 kernels after fusing.
    expect(sileroNodes).toBe(72);
    expect(coverage.totalNodes).toBe(72);
    expect(coverage.fellBack.slice(0, 3)).toEqual([
      { opType: 'Unsqueeze', count: 8 },
      { opType: 'If', count: 6 },
      { opType: 'FusedConv', count: 5 },
    ]);
    expect(coverage.npuTimeShare).toBe(0);
  });

  it('counts the provider it is asked about: the same profile is all on CPUExecutionProvider', async () => {
    const coverage = parseProfile(await recorded('cpu-ep-mlp'), 'CPUExecutionProvider');
    expect(coverage).toMatchObject({ npuNodes: 2, totalNodes: 2, ratio: 1, fellBack: [] });
    expect(describeCoverage(coverage)).toMatch(
      /^2\/2 nodes on CPUExecutionProvider \(2 kernels, 100% of kernel time\)$/,
    );
  });

  it('a CoreML-shaped profile (derived from the Silero recording): partitions count as the nodes they hold', async () => {
    const coverage = parseProfile(
      await recorded('coreml-derived-silero-vad-16k-op15'),
      COREML_PROVIDER,
      sileroNodes,
    );
    expect(coverage.npuKernels).toBe(4);
    expect(coverage).toMatchObject({ cpuNodes: 26, npuNodes: 46, totalNodes: 72 });
    expect(coverage.fellBack.map((f) => f.opType)).toEqual(
      expect.arrayContaining(['If', 'LSTM', 'Pad', 'Size']),
    );
    expect(describeCoverage(coverage)).toMatch(
      /^\d+\/\d+ nodes on CoreMLExecutionProvider \(4 kernels, \d+% of kernel time\); fell back to CPU: .*LSTM/,
    );
  });

  it('ignores events that are not node kernels, and copy nodes', () => {
    const coverage = parseProfile(
      [
        { cat: 'Session', name: 'model_run', dur: 10 },
        {
          cat: 'Node',
          name: 'a_kernel_time',
          dur: 4,
          args: { op_name: 'CoreML_1_0', provider: COREML_PROVIDER },
        },
        {
          cat: 'Node',
          name: 'm_kernel_time',
          dur: 1,
          args: { op_name: 'MemcpyToHost', provider: 'CPUExecutionProvider' },
        },
        {
          cat: 'Node',
          name: 'r_kernel_time',
          dur: 4,
          args: { op_name: 'Resize', provider: 'CPUExecutionProvider' },
        },
        { cat: 'Node', name: 'r_fence_before', dur: 0, args: {} },
      ],
      COREML_PROVIDER,
      10,
    );
    expect(coverage).toMatchObject({ npuNodes: 9, totalNodes: 10, cpuNodes: 1, npuTimeShare: 0.5 });
  });
});

describe('the minNpuCoverage decision', () => {
  it('defaults to 0.8 and rejects below it, saying how to accept anyway', async () => {
    expect(DEFAULT_MIN_NPU_COVERAGE).toBe(0.8);
    const derived = parseProfile(
      await recorded('coreml-derived-silero-vad-16k-op15'),
      COREML_PROVIDER,
      sileroNodes,
    );
    const verdict = judgeCoverage(derived, DEFAULT_MIN_NPU_COVERAGE, 'npu-coreml');
    expect(verdict.accept).toBe(false);
    expect(verdict.accept === false && verdict.reason).toMatch(
      /^only \d+% of the graph runs on the NPU \(.*\), below minNpuCoverage 0\.8: .* backendOptions: \{ 'npu-coreml': \{ minNpuCoverage: 0\.\d+ \} \}$/,
    );
    expect(judgeCoverage(derived, derived.ratio, 'npu-coreml')).toEqual({ accept: true });
    expect(judgeCoverage(derived, 0, 'npu-coreml')).toEqual({ accept: true });
  });
});
