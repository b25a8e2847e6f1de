import {
  BackendLoadError,
  type BackendV2,
  type Dim,
  type LoadContext,
  type LoadedSession,
  ModelRejectedError,
  messageOf,
  type TensorInfo,
} from '@npu-first/core';
import { OPENVINO_NPU_BACKEND_ID, OPENVINO_NPU_DESCRIPTOR } from '../descriptors.js';
import { type HostFacts, hostFacts } from '../detect/apple-silicon.js';
import { readOpenVinoOptions, type ShapePins } from '../options/npu-options.js';
import type { DeclaredInput } from '../preflight/onnx-input-shapes.js';
import { preflightShapes } from '../preflight/preflight-shapes.js';
import { loadOpenVino } from './load-openvino.js';
import type { OvAddon, OvCore } from './openvino-api.js';
import { queryCoverage } from './openvino-coverage.js';
import { OpenVinoGraphSession } from './openvino-graph-session.js';
import { type OpenVinoProbe, probeOpenVino } from './openvino-probe.js';
import { OV_ELEMENT_TYPES } from './openvino-tensors.js';

export { OPENVINO_NPU_BACKEND_ID };

/** The OpenVINO device models are compiled for and queried on. */
const OV_NPU = 'NPU';

/** Options of {@link createOpenVinoNpuBackend}. */
export interface OpenVinoNpuBackendOptions {
  readonly priority?: number;
  /** Default pins for symbolic dimensions, merged under the per-load `shapes`. */
  readonly shapes?: ShapePins;
  /** OpenVINO's compiled-model cache (`CACHE_DIR`): NPU compilation is slow; the cache makes the second load fast. */
  readonly cacheDir?: string;
  /** sysfs root for Linux detection; default `$NPU_FIRST_SYSFS_ROOT` or `/sys`. */
  readonly sysfsRoot?: string;
  /** Platform facts, for tests; default this machine's. */
  readonly host?: HostFacts;
  /** Loads openvino-node; default a lazy `import('openvino-node')`. */
  readonly openvino?: () => Promise<OvAddon>;
}

/**
 * Intel NPUs (Core Ultra) through OpenVINO's `NPU` device, via openvino-node (an optional
 * peer: `npm install openvino-node`). Reads ONNX directly, pins symbolic dimensions with
 * `model.reshape()`, and compiles for the NPU. What OpenVINO's `queryModel()` says of the
 * graph becomes `placement.details.coverage`. Per-load `backendOptions['npu-openvino']`:
 * `shapes`, `cacheDir`.
 */
export function createOpenVinoNpuBackend(options: OpenVinoNpuBackendOptions = {}): BackendV2 {
  let probed: Promise<OpenVinoProbe> | undefined;
  const probe = () => {
    probed ??= probeOpenVino(
      options.host ?? hostFacts(),
      options.sysfsRoot,
      options.openvino ?? loadOpenVino,
    );
    return probed;
  };
  const read = (context: LoadContext) =>
    readOpenVinoOptions(OPENVINO_NPU_BACKEND_ID, context.backendOptions, options);
  return {
    specificationVersion: 'v2',
    id: OPENVINO_NPU_BACKEND_ID,
    deviceKind: 'npu',
    displayName: OPENVINO_NPU_DESCRIPTOR.displayName as string,
    priority: options.priority ?? 0,
    formats: ['onnx'],
    tasks: ['graph'],
    precision: 'fp16',
    checkOptions: OPENVINO_NPU_DESCRIPTOR.checkOptions,
    probe: async () => (await probe()).result,
    async accepts(model, context) {
      const check = await preflightShapes(OPENVINO_NPU_BACKEND_ID, model, read(context).shapes);
      return check.ok ? { accepted: true } : { accepted: false, reason: check.reason };
    },
    async load(model, context): Promise<LoadedSession> {
      const settings = read(context);
      const found = await probe();
      const device = context.probe.devices[0] ?? found.result.devices[0];
      if (!found.ov || !found.core || !device) {
        throw new ModelRejectedError(OPENVINO_NPU_BACKEND_ID, found.result.reason ?? 'no NPU');
      }
      const { facts } = await preflightShapes(OPENVINO_NPU_BACKEND_ID, model, settings.shapes);
      for (const io of [...facts.inputs, ...facts.outputs]) {
        if (io.type === 'unknown' || !OV_ELEMENT_TYPES[io.type]) {
          throw new ModelRejectedError(
            OPENVINO_NPU_BACKEND_ID,
            `"${io.name}" is ${io.type}, which openvino-node cannot pass (it has f32/f64 and integer tensors only)`,
          );
        }
      }
      const inputs = facts.inputs.map((i) => pinned(i, settings.shapes));
      const staticShapes = new Map(
        inputs.map((i) => [i.name, (i.shape ?? []).map((d) => (typeof d === 'number' ? d : 1))]),
      );
      const compile = compiler(found.core, settings.cacheDir);
      try {
        const ovModel = await (model.path !== undefined
          ? found.core.readModel(model.path)
          : found.core.readModel(model.bytes as Uint8Array));
        const shaped = ovModel.isDynamic()
          ? ovModel.reshape(new Map([...staticShapes].map(([n, d]) => [n, `[${d.join(',')}]`])))
          : ovModel;
        const compiled = await compile(shaped);
        if (context.signal.aborted) throw context.signal.reason;
        const session = new OpenVinoGraphSession(
          {
            ov: found.ov,
            model: ovModel,
            compiled,
            compile,
            staticShapes,
            backendId: OPENVINO_NPU_BACKEND_ID,
          },
          inputs,
          facts.outputs.map((o) => pinned(o, settings.shapes)),
        );
        return {
          task: 'graph',
          session,
          device,
          details: {
            coverage: queryCoverage(found.core, shaped, OV_NPU),
            engineDevice: found.ovDevice ?? OV_NPU,
          },
        };
      } catch (error) {
        if (context.signal.aborted) throw error;
        throw new BackendLoadError(OPENVINO_NPU_BACKEND_ID, messageOf(error), { cause: error });
      }
    },
  };
}

function compiler(core: OvCore, cacheDir: string | undefined) {
  return (model: Parameters<OvCore['compileModel']>[0]) =>
    core.compileModel(model, OV_NPU, cacheDir ? { CACHE_DIR: cacheDir } : {});
}

/** The declared tensor with pinned dims replaced by their sizes. */
function pinned(io: DeclaredInput, shapes: ShapePins): TensorInfo {
  const shape = io.shape?.map((d): Dim => (typeof d === 'string' ? (shapes[d] ?? d) : d)) ?? null;
  return { name: io.name, type: io.type, shape };
}
