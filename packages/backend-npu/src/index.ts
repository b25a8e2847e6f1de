export {
  COREML_NPU_BACKEND_ID,
  type CoreMlNpuBackendOptions,
  createCoreMlNpuBackend,
  probeCoreMl,
} from './coreml/coreml-backend.js';
export { ANE_COREML_FLAGS, COREML_FLAGS, COREML_PROVIDER } from './coreml/coreml-flags.js';
export {
  type AppleSiliconCheck,
  detectAppleSilicon,
  type HostFacts,
  hostFacts,
} from './detect/apple-silicon.js';
export {
  describeNpu,
  detectLinuxNpus,
  type FoundNpu,
  type LinuxNpuScan,
  npuDeviceInfo,
} from './detect/detect-npus.js';
export { identifyAccel, type NpuAdapterId, type NpuIdentity } from './detect/npu-catalog.js';
export { type AccelDevice, type AccelScan, scanAccel } from './detect/scan-accel.js';
export { resolveSysfsRoot, SYSFS_ROOT_ENV } from './detect/sysfs-root.js';
export { ortCoverageDetails } from './op-coverage/coverage-details.js';
export {
  type CoverageVerdict,
  DEFAULT_MIN_NPU_COVERAGE,
  judgeCoverage,
} from './op-coverage/coverage-threshold.js';
export { describeCoverage, type OpCoverage, parseProfile } from './op-coverage/parse-profile.js';
export {
  createOpenVinoNpuBackend,
  OPENVINO_NPU_BACKEND_ID,
  type OpenVinoNpuBackendOptions,
} from './openvino/openvino-backend.js';
export { countCoverage, OPENVINO_WHOLE_GRAPH } from './openvino/openvino-coverage.js';
export { INTEL_NPU_USERSPACE } from './openvino/openvino-probe.js';
export { type NpuOrtOptions, readNpuOrtOptions, type ShapePins } from './options/npu-options.js';
export {
  createOrtNpuBackend,
  type OrtNpuDefaults,
  type OrtNpuSpec,
} from './ort-npu-backend.js';
export { default as plugin } from './plugin.js';
export {
  type DeclaredInput,
  type OnnxGraphFacts,
  readOnnxGraphFacts,
} from './preflight/onnx-input-shapes.js';
export { pinInputDims } from './preflight/pin-input-dims.js';
export { checkStaticShapes, type StaticShapeCheck } from './preflight/static-shapes.js';
