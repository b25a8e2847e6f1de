import { readFile } from 'node:fs/promises';
import {
  type AcceptResult,
  type BackendV1,
  CorruptModelError,
  InvalidOptionError,
  type LoadContext,
  type ModelDescriptor,
  ModelRejectedError,
  SPECIFICATION_VERSION,
} from '@npu-first/core';
import { openDims, pinShapes } from './pin-shapes.js';
import { StaticGraphModel } from './static-graph-model.js';

const ID = 'cpu-static-shapes-fixture';

/** `backendOptions[ID].shapes`, checked: positive integer sizes by dimension name. */
function shapesOf(options: Readonly<Record<string, unknown>> | undefined): Record<string, number> {
  for (const key of Object.keys(options ?? {})) {
    if (key !== 'shapes')
      throw new InvalidOptionError(`backendOptions.${ID}.${key}`, 'unknown option (known: shapes)');
  }
  const shapes = (options?.shapes ?? {}) as Record<string, unknown>;
  for (const [dim, size] of Object.entries(shapes)) {
    if (!Number.isInteger(size) || (size as number) < 1) {
      throw new InvalidOptionError(
        `backendOptions.${ID}.shapes.${dim}`,
        'must be a positive integer',
      );
    }
  }
  return shapes as Record<string, number>;
}

const bytesOf = async (model: ModelDescriptor) =>
  model.bytes ?? new Uint8Array(await readFile(model.path as string));

/** Why the model cannot be compiled with these pins, or undefined when it can. */
function unpinned(bytes: Uint8Array, shapes: Readonly<Record<string, number>>): string | undefined {
  const open = openDims(bytes).filter((d) => shapes[d.dim] === undefined);
  if (open.length === 0) return undefined;
  const list = open.map((d) => `"${d.dim}" of input "${d.input}"`).join(', ');
  return `static shapes only: pin ${list} with backendOptions.${ID}.shapes`;
}

/**
 * A fixture backend that compiles static shapes only, as an NPU does, on a real
 * onnxruntime-node CPU session: symbolic input dims must be pinned with `shapes`, which it
 * writes into the model before the session compiles it.
 */
export function createStaticShapesFixtureBackend(): BackendV1 {
  const device = { name: 'CPU (onnxruntime-node, static shapes)' };
  return {
    specificationVersion: SPECIFICATION_VERSION,
    id: ID,
    deviceKind: 'cpu',
    formats: ['onnx'],
    tasks: ['graph'],
    async probe() {
      const ort = await import('onnxruntime-node');
      return {
        available: true,
        devices: [device],
        engine: `onnxruntime-node ${ort.env.versions.node}`,
      };
    },
    checkOptions: (options) => {
      shapesOf(options);
    },
    async accepts(model: ModelDescriptor, context: LoadContext): Promise<AcceptResult> {
      let reason: string | undefined;
      try {
        reason = unpinned(await bytesOf(model), shapesOf(context.backendOptions));
      } catch {
        return { accepted: true }; // unreadable: load() reports it as corrupt
      }
      return reason ? { accepted: false, reason } : { accepted: true };
    },
    async load(model: ModelDescriptor, context: LoadContext) {
      const shapes = shapesOf(context.backendOptions);
      const bytes = await bytesOf(model);
      let reason: string | undefined;
      try {
        reason = unpinned(bytes, shapes);
      } catch (error) {
        throw new CorruptModelError(model.name, String(error), { cause: error });
      }
      if (reason) throw new ModelRejectedError(ID, reason);
      const ort = await import('onnxruntime-node');
      const session = await ort.InferenceSession.create(pinShapes(bytes, shapes));
      return new StaticGraphModel(ort, session, model.name, device);
    },
  };
}
