import { ModelRejectedError } from '../../errors/errors.js';
import type {
  BackendV1 as Backend,
  DeviceKind,
  GraphModel,
  ProbeResult,
} from '../../spec/backend.js';
import { type Feeds, type Tensor, tensor } from '../../spec/tensor.js';
import { validateFeeds } from '../../validation/validate-feeds.js';

/**
 * Backends that exercise the chain's branches. They are not stand-ins for an engine:
 * `jsBackend` really computes (y = x + 1 in JavaScript); the others model the ways a real
 * backend declines — unavailable, rejecting, failing, hanging.
 */
type Overrides = Partial<Backend> & { id: string; deviceKind: DeviceKind };

export function backend(overrides: Overrides): Backend {
  return {
    specificationVersion: 'v1',
    formats: ['onnx'],
    tasks: ['graph'],
    probe: async () => ({ available: true, devices: [{ name: `${overrides.id} device` }] }),
    load: async () => addOneModel(`${overrides.id} device`),
    ...overrides,
  };
}

export const unavailable = (id: string, deviceKind: DeviceKind, reason: string) =>
  backend({
    id,
    deviceKind,
    probe: async (): Promise<ProbeResult> => ({ available: false, devices: [], reason }),
  });

export const rejecting = (id: string, deviceKind: DeviceKind, reason: string) =>
  backend({ id, deviceKind, accepts: () => ({ accepted: false, reason }) });

export const rejectingInLoad = (id: string, deviceKind: DeviceKind, reason: string) =>
  backend({
    id,
    deviceKind,
    load: async () => {
      throw new ModelRejectedError(id, reason);
    },
  });

export const failing = (id: string, deviceKind: DeviceKind, message: string) =>
  backend({
    id,
    deviceKind,
    load: async () => {
      throw new Error(message);
    },
  });

export const hangingLoad = (id: string, deviceKind: DeviceKind, onAbort?: () => void) =>
  backend({
    id,
    deviceKind,
    load: (_model, context) =>
      new Promise<GraphModel>((_, reject) => {
        context.signal.addEventListener('abort', () => {
          onAbort?.();
          reject(context.signal.reason);
        });
      }),
  });

export const jsBackend = (id: string, deviceKind: DeviceKind, priority = 0) =>
  backend({ id, deviceKind, priority });

/**
 * A JavaScript backend whose device takes `delayMs` a run (a timer, standing in for a slower
 * processor) and adds `add` (1 is right; anything else models a device that computes wrong).
 * `hang: true`: runs never settle. `log` counts loads and disposals.
 */
export function timedBackend(
  id: string,
  deviceKind: DeviceKind,
  behaviour: { delayMs?: number; add?: number; hang?: boolean; throws?: string },
  log: { loads: number; disposed: number } = { loads: 0, disposed: 0 },
): Backend {
  return backend({
    id,
    deviceKind,
    load: async () => {
      log.loads++;
      const inner = addOneModel(`${id} device`, behaviour.add ?? 1);
      return {
        ...inner,
        run: async (feeds) => {
          if (behaviour.throws) throw new Error(behaviour.throws);
          if (behaviour.hang) return new Promise<never>(() => {});
          if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
          return inner.run(feeds);
        },
        dispose: async () => {
          log.disposed++;
          await inner.dispose();
        },
      };
    },
  });
}

/** A model that computes `y = x + 1` (or `+ add`) for a float32 `x` of shape [n]. */
export function addOneModel(deviceName: string, add = 1): GraphModel {
  const inputs = [{ name: 'x', type: 'float32' as const, shape: ['n'] }];
  let disposed = false;
  const model: GraphModel = {
    task: 'graph',
    inputs,
    outputs: [{ name: 'y', type: 'float32', shape: ['n'] }],
    device: { name: deviceName },
    async run(feeds: Feeds): Promise<Record<string, Tensor>> {
      if (disposed) throw new Error('disposed');
      validateFeeds(inputs, feeds);
      const x = (feeds.x as Tensor<'float32'>).data;
      return {
        y: tensor(
          'float32',
          x.map((v) => v + add),
          [x.length],
        ),
      };
    },
    async dispose() {
      disposed = true;
    },
    [Symbol.asyncDispose]: async () => model.dispose(),
  };
  return model;
}

/** The smallest valid ONNX ModelProto: ir_version 7 and an empty graph. */
export const MINIMAL_ONNX = new Uint8Array([0x08, 0x07, 0x3a, 0x00]);
