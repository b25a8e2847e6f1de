import type { Attempt } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import { runNode } from '../cli-process.js';
import {
  FAULT_BACKEND,
  FAULT_MODES,
  FAULT_PACKAGE,
  FAULT_STAGES,
  type FaultMode,
  type FaultStage,
  faultProject,
  SILERO_ONNX,
} from './fault-project.js';

/**
 * Bounds the CLI is run with (ms). Short, so a hang costs seconds; still far above what the
 * real CPU backend needs to import, probe and load a 1.3 MB model.
 */
const BOUNDS = {
  NPU_FIRST_PLUGIN_TIMEOUT_MS: '3000',
  NPU_FIRST_PROBE_TIMEOUT_MS: '4000',
  NPU_FIRST_LOAD_TIMEOUT_MS: '6000',
};
/** How long a blocking fault holds the event loop: well past every bound. */
const BLOCK_MS = 10_000;
/** Hang guard for one CLI run: a process still alive then has hung. */
const HANG_GUARD_MS = 90_000;

/** What the placement must say about the fault, by stage and mode. */
function expected(
  stage: FaultStage,
  mode: FaultMode,
): Partial<Omit<Attempt, 'reason'>> & { reason: RegExp } {
  const timedOut = mode !== 'throw';
  if (stage === 'import' || stage === 'createBackends')
    return {
      backend: FAULT_PACKAGE,
      deviceKind: null,
      outcome: 'unavailable',
      code: timedOut ? 'TIMEOUT' : 'PLUGIN_INVALID',
      reason: timedOut
        ? /could not be loaded: importing .* did not finish within 3000 ms/
        : new RegExp(`could not be loaded: .*injected fault: ${stage} threw`),
    };
  if (stage === 'probe')
    return {
      backend: FAULT_BACKEND,
      outcome: 'unavailable',
      reason: timedOut
        ? /^probe failed: npu-fault probe\(\) did not finish within 4000 ms$/
        : /^probe failed: injected fault: probe threw$/,
    };
  return {
    backend: FAULT_BACKEND,
    outcome: 'failed',
    ...(timedOut ? { code: 'TIMEOUT' } : {}),
    reason: timedOut
      ? new RegExp(`^npu-fault ${stage}\\(\\) did not finish within 6000 ms$`)
      : new RegExp(`^injected fault: ${stage} threw$`),
  };
}

const CASES = FAULT_STAGES.flatMap((stage) => FAULT_MODES.map((mode) => [stage, mode] as const));

describe('a backend plugin that fails, hangs or blocks the event loop', () => {
  it.each(CASES)(
    'at %s (%s): the CPU tier serves the model and the short-lived CLI exits 0',
    async (stage, mode) => {
      const project = await faultProject(stage, mode, BLOCK_MS);
      const ended = await runNode(
        [
          'run',
          SILERO_ONNX,
          '--dim',
          'batch=1',
          '--dim',
          'sequence=512',
          '--policy',
          'npu-first;selection=first',
          '--json',
        ],
        {
          cwd: project,
          timeoutMs: HANG_GUARD_MS,
          // The project is not the CLI's own: its plugins load only when trusted.
          env: { NPU_FIRST_TRUST_PROJECT: '1', ...BOUNDS },
        },
      );
      expect(ended.hung).toBe(false);
      expect({ code: ended.code, stderr: ended.code === 0 ? '' : ended.stderr }).toEqual({
        code: 0,
        stderr: '',
      });
      const { placement } = JSON.parse(ended.stdout) as {
        placement: { backend: string; attempts: Attempt[] };
      };
      expect(placement.backend, JSON.stringify(placement.attempts, null, 1)).toBe(
        'cpu-onnxruntime',
      );
      const fault = placement.attempts.find(
        (a) => a.backend === FAULT_PACKAGE || a.backend === FAULT_BACKEND,
      );
      const { reason, ...rest } = expected(stage, mode);
      expect(fault).toMatchObject(rest);
      expect(fault?.reason).toMatch(reason);
      // The fault came before the CPU backend that served.
      expect(placement.attempts.indexOf(fault as Attempt)).toBeLessThan(
        placement.attempts.findIndex((a) => a.backend === 'cpu-onnxruntime'),
      );
    },
    HANG_GUARD_MS + 10_000,
  );
});
