import type { ProbeResult } from '@npu-first/core';
import type { CheapLook } from '../detect/cheap-looks.js';
import type { Env, MachineRoots } from '../detect/machine-roots.js';
import type { EngineReply } from '../engine-probe/ask-engine.js';
import { confirmsLook } from '../engine-probe/probe-mode.js';
import type { OrtGpuPath } from './ort-gpu-backend.js';

/** The probe's result from the engine's reply: the engine decides, the look explains. */
export async function ortVerdict(
  path: OrtGpuPath,
  reply: EngineReply,
  look: CheapLook,
  where: { roots: MachineRoots; env: Env },
): Promise<ProbeResult> {
  const { answer } = reply;
  const devices = look.devices;
  if (answer?.engine !== 'onnxruntime') {
    return { available: false, devices, reason: `${path.displayName} probe: ${reply.failure}` };
  }
  if (answer.status === 'missing') {
    return { available: false, devices, reason: answer.message ?? 'onnxruntime-node is missing' };
  }
  const engine = `onnxruntime-node ${answer.version ?? 'unknown'} (${path.ep})`;
  if (answer.status === 'no-provider') {
    return {
      available: false,
      devices,
      engine,
      reason: `this onnxruntime-node build has no ${path.ep} execution provider`,
    };
  }
  if (answer.status === 'failed') {
    const failure = { message: answer.message ?? '', output: reply.output, ...where };
    const reason = path.explain
      ? await path.explain(failure)
      : `${path.displayName} failed to start: ${failure.message}`;
    return { available: false, devices, engine, reason: `${reason}${confirmsLook(look)}` };
  }
  return {
    available: true,
    engine,
    devices:
      devices.length > 0
        ? devices
        : [
            {
              name: `${path.displayName} device 0`,
              details: { nameFrom: 'onnxruntime-node does not name the devices its providers use' },
            },
          ],
  };
}
