import { readFile } from 'node:fs/promises';
import {
  type AcceptResult,
  type BackendV2,
  type CommonLoadOptions,
  type LoadContext,
  type LoadedSession,
  type ModelDescriptor,
  ModelRejectedError,
  type PlacementDetails,
  type ProbeResult,
} from '@npu-first/core';
import { loadProfiledOrtSession, toSessionOptions } from '@npu-first/onnxruntime';
import type { InferenceSession } from 'onnxruntime-node';
import { ortCoverageDetails } from './op-coverage/coverage-details.js';
import { judgeCoverage } from './op-coverage/coverage-threshold.js';
import { type OpCoverage, parseProfile } from './op-coverage/parse-profile.js';
import { readNpuOrtOptions, type ShapePins } from './options/npu-options.js';
import { workNodeCount } from './preflight/onnx-input-shapes.js';
import { pinInputDims } from './preflight/pin-input-dims.js';
import { preflightShapes } from './preflight/preflight-shapes.js';

/** Defaults for every model an ORT-based NPU backend loads; `backendOptions` override them. */
export interface OrtNpuDefaults extends CommonLoadOptions {
  readonly priority?: number;
  /** Default pins for symbolic dimensions, merged under the per-load `shapes`. */
  readonly shapes?: ShapePins;
  /** Default `minNpuCoverage` (0–1). */
  readonly minNpuCoverage?: number;
}

/** What distinguishes one ORT-based NPU adapter from another. */
export interface OrtNpuSpec {
  readonly id: string;
  readonly displayName: string;
  /**
   * The provider name ORT writes in profiles for the NPU EP, e.g. `CoreMLExecutionProvider`;
   * also the model's `placement.details.engineDevice`.
   */
  readonly npuProvider: string;
  /** The execution providers a session is created with. */
  readonly executionProviders: InferenceSession.SessionOptions['executionProviders'];
  /** Finds the NPU; the first device of an available result is the one models run on. */
  probe(): Promise<ProbeResult>;
}

/**
 * The load path every ONNX Runtime NPU adapter shares: static-shape pre-flight in
 * `accepts()`; in `load()`, symbolic dimensions pinned in the model, a session with the NPU
 * EP whose first inference is profiled, and the op coverage measured from that profile —
 * below `minNpuCoverage` the session is released and the model rejected, so the chain moves
 * on. The coverage reaches the user as `placement.details.coverage` (its note also in the
 * placement trace). `accepts()` is the shape gate the chain applies; `load()` called directly
 * takes unpinned models too (their dynamic parts then fall to the CPU and count against coverage).
 */
export function createOrtNpuBackend(spec: OrtNpuSpec, defaults: OrtNpuDefaults = {}): BackendV2 {
  let probed: Promise<ProbeResult> | undefined;
  const probe = () => {
    probed ??= spec.probe();
    return probed;
  };
  const options = (context: LoadContext) =>
    readNpuOrtOptions(spec.id, context.backendOptions, defaults);
  return {
    specificationVersion: 'v2',
    id: spec.id,
    deviceKind: 'npu',
    displayName: spec.displayName,
    priority: defaults.priority ?? 0,
    formats: ['onnx'],
    tasks: ['graph'],
    // NPUs compute in reduced precision (the ANE in fp16).
    precision: 'fp16',
    checkOptions: (raw) => {
      readNpuOrtOptions(spec.id, raw, defaults);
    },
    probe,
    async accepts(model: ModelDescriptor, context: LoadContext): Promise<AcceptResult> {
      const { shapes } = options(context);
      const check = await preflightShapes(spec.id, model, shapes);
      return check.ok ? { accepted: true } : { accepted: false, reason: check.reason };
    },
    async load(model: ModelDescriptor, context: LoadContext): Promise<LoadedSession> {
      const settings = options(context);
      const device = context.probe.devices[0] ?? (await probe()).devices[0];
      if (!device) throw new ModelRejectedError(spec.id, 'the probe found no NPU');
      const preflight = await preflightShapes(spec.id, model, settings.shapes);
      const pins = preflight.ok ? preflight.pins : pinsPresent(preflight.facts, settings.shapes);
      const pinned = await applyPins(model, pins);
      const common = { ...defaults, ...context.options };
      const sessionOptions: InferenceSession.SessionOptions = {
        ...toSessionOptions(common, settings.ort, spec.executionProviders),
        // Honoured by bindings that implement it; onnxruntime-node 1.30 does not, hence the pinned model.
        ...(Object.keys(pins).length > 0 ? { freeDimensionOverrides: pins } : {}),
      };
      const { session, profile } = await loadProfiledOrtSession(
        spec.id,
        pinned,
        sessionOptions,
        context.signal,
      );
      let measured: { coverage: OpCoverage } | { unmeasured: string };
      if (profile.ok) {
        const coverage = parseProfile(
          profile.events,
          spec.npuProvider,
          workNodeCount(preflight.facts),
        );
        const verdict = judgeCoverage(coverage, settings.minNpuCoverage, spec.id);
        if (!verdict.accept) {
          await session.release();
          throw new ModelRejectedError(spec.id, verdict.reason);
        }
        measured = { coverage };
      } else {
        measured = { unmeasured: profile.reason };
      }
      const threads = common.threads;
      const details: PlacementDetails = {
        coverage: ortCoverageDetails(measured),
        // The op types that fell back, for code that wants more than the note.
        ...('coverage' in measured
          ? { fellBack: measured.coverage.fellBack.map((f) => ({ ...f })) }
          : {}),
        engineDevice: spec.npuProvider,
        ...(threads !== undefined
          ? {
              threads: {
                count: threads,
                why: context.options.threads !== undefined ? 'load option' : 'backend default',
              },
            }
          : {}),
      };
      return { task: 'graph', session, device, details };
    },
  };
}

/** The pins that name a dimension the model has, when the pre-flight found others open. */
function pinsPresent(
  facts: { readonly inputs: readonly { readonly shape: readonly unknown[] | null }[] },
  shapes: ShapePins,
): Record<string, number> {
  const names = new Set(facts.inputs.flatMap((i) => i.shape ?? []));
  return Object.fromEntries(Object.entries(shapes).filter(([dim]) => names.has(dim)));
}

/** The model with its symbolic input dims pinned (in memory), or the model itself when none are. */
async function applyPins(
  model: ModelDescriptor,
  pins: Readonly<Record<string, number>>,
): Promise<ModelDescriptor> {
  if (Object.keys(pins).length === 0) return model;
  const bytes = model.bytes ?? new Uint8Array(await readFile(model.path as string));
  const rewritten = pinInputDims(bytes, pins);
  return { format: model.format, name: model.name, bytes: rewritten, sizeBytes: rewritten.length };
}
