import type { ProbeResult } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import { describeAcceptsCases, describeCheckOptionsCases } from './accepts-cases.js';
import { settle } from './bounded.js';
import { describeContract } from './contract-cases.js';
import { describeThrown } from './describe-thrown.js';
import { describeGeneratorCases } from './generator-cases.js';
import { describeGraphCases } from './graph-cases.js';
import { GraphHarness } from './graph-harness.js';
import { type ConformanceOptions, settingsOf } from './options.js';
import { TOLERANCES } from './tolerance.js';

export type { ConformanceCapabilities, ConformanceOptions, PinnedDims } from './options.js';

/**
 * The conformance suite every backend runs — ours and third parties' — from its own test
 * file, with top-level await:
 *
 * ```ts
 * await runBackendConformance({ backend: createMyBackend() });
 * ```
 *
 * It checks the spec and probe contract, `checkOptions()` and `accepts()` where present. For
 * `graph` backends it loads generated ONNX fixtures and compares outputs with JavaScript
 * references under a tolerance suited to the backend's precision, and checks bad feeds,
 * corrupt models, dispose and concurrent runs; a backend that declares
 * `capabilities.staticShapesOnly` gets the symbolic fixture pinned through `pinShapes`. For
 * `text-generation` backends it loads a tiny generated GGUF and checks determinism,
 * `maxTokens`, streaming, abort, chat, bad input, overflow, corrupt files and dispose. A
 * backend's lifecycle cases (dispose, runs after dispose, output selection, bad feeds, queueing)
 * are core's job for spec v2 backends and are tested in core; for them they run here as
 * integration checks through core's lifecycle, and for v1 backends they check the backend's own. A
 * backend that is unavailable on this machine gets one skipped test whose name gives the
 * probe's reason, so a report never shows a silent pass. Every call into the backend is
 * bounded: one that throws or hangs fails its case, by name, saying what happened.
 */
export async function runBackendConformance(options: ConformanceOptions): Promise<void> {
  const settings = settingsOf(options);
  const created = await settle('the backend factory', settings.probeTimeoutMs, () =>
    typeof options.backend === 'function' ? options.backend() : options.backend,
  );
  if (!created.ok) {
    describe('backend conformance: (the backend factory)', () => {
      it('creates the backend', () => {
        expect.fail(`the backend factory threw ${describeThrown(created.error)}`);
      });
    });
    return;
  }
  const backend = created.value;
  const probed = await settle('probe()', settings.probeTimeoutMs, () => backend.probe());
  const required =
    options.requireAvailable === true ||
    (process.env.NPU_FIRST_REQUIRE_BACKENDS ?? '')
      .split(',')
      .map((s) => s.trim())
      .includes(backend.id);
  const tolerance = options.tolerance ?? TOLERANCES[backend.precision ?? 'fp32'] ?? TOLERANCES.fp32;

  describe(`backend conformance: ${String(backend.id)}`, () => {
    describeContract(backend, probed, settings);
    const probe: ProbeResult = probed.ok ? probed.value : { available: false, devices: [] };
    const harness = new GraphHarness(backend, probe, tolerance, settings);
    // checkOptions() must not need the engine: it runs here, available or not.
    describeCheckOptionsCases(harness);
    if (!probed.ok) {
      it('runs the inference cases', () => {
        expect.fail(`not run: probe() threw ${describeThrown(probed.error)}`);
      });
      return;
    }
    if (!probe.available) {
      if (required) {
        it(`${backend.id} must be available here`, () => {
          expect.fail(`${backend.id} is unavailable: ${probe.reason}`);
        });
      } else {
        const line = `UNAVAILABLE on this machine, inference cases not run: ${probe.reason}`;
        console.warn(`[npu-first conformance] ${backend.id}: ${line}`);
        it.skip(line, () => {});
      }
      return;
    }
    describeAcceptsCases(harness);
    if (backend.tasks.includes('graph')) describeGraphCases(harness);
    if (backend.tasks.includes('text-generation'))
      describeGeneratorCases(backend, probe, settings.loadTimeoutMs);
  });
}
