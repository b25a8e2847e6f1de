import { type CoverageDetails, messageOf } from '@npu-first/core';
import type { OvCore, OvModel } from './openvino-api.js';

/** What OpenVINO's NPU plugin does with a graph: all of it or a compile error, never a CPU share. */
export const OPENVINO_WHOLE_GRAPH =
  'whole graph compiled for the NPU by OpenVINO (no CPU fallback)';

/**
 * The op coverage OpenVINO reports for `model` on `device`: `core.queryModel()` names each
 * operation the device supports, out of `model.getOps()`. The NPU plugin compiles the whole
 * graph or fails, so after a successful compile this confirms rather than measures; where the
 * installed openvino-node cannot query, the counts are `null` and the note says so.
 */
export function queryCoverage(core: OvCore, model: OvModel, device: string): CoverageDetails {
  if (!core.queryModel || !model.getOps) {
    return unmeasured('this openvino-node has no queryModel/getOps');
  }
  let supported: Record<string, string>;
  let total: number;
  try {
    supported = core.queryModel(model, device);
    total = model.getOps().length;
  } catch (error) {
    return unmeasured(`queryModel failed: ${messageOf(error)}`);
  }
  return countCoverage(supported, total, device);
}

/** Counts a `queryModel()` answer: operations mapped to `device` (or `device.N`) of `total`. */
export function countCoverage(
  supported: Readonly<Record<string, string>>,
  total: number,
  device: string,
): CoverageDetails {
  const onDevice = Object.values(supported).filter(
    (d) => d === device || d.startsWith(`${device}.`),
  ).length;
  return {
    onDevice,
    total,
    unit: 'ops',
    note: `${onDevice}/${total} ops supported by OpenVINO's ${device} plugin; ${OPENVINO_WHOLE_GRAPH}`,
  };
}

function unmeasured(why: string): CoverageDetails {
  return {
    onDevice: null,
    total: null,
    unit: 'ops',
    note: `${OPENVINO_WHOLE_GRAPH}; ops not counted: ${why}`,
  };
}
