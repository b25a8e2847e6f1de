/**
 * `coreMlFlags` bits, from onnxruntime's `coreml_provider_factory.h`. onnxruntime-node reads
 * only `coreMlFlags` from a `{ name: 'coreml' }` provider entry (its `session_options_helper.cc`);
 * the named options in onnxruntime-common's types (`useCPUAndGPU`, `onlyEnableDeviceWithANE`…)
 * are react-native only and the string provider options (`MLComputeUnits`, `ModelFormat`,
 * `RequireStaticInputShapes`) are not passed by the Node binding.
 */
export const COREML_FLAGS = {
  USE_CPU_ONLY: 0x001,
  ENABLE_ON_SUBGRAPH: 0x002,
  /** Compute units CPU + Neural Engine (never the GPU); fails on a Mac without an ANE. */
  ONLY_ENABLE_DEVICE_WITH_ANE: 0x004,
  /** CoreML takes only nodes whose inputs have static shapes; the ANE needs them. */
  ONLY_ALLOW_STATIC_INPUT_SHAPES: 0x008,
  /** Build an ML Program (macOS 12+), the format with the widest op and fp16 support. */
  CREATE_MLPROGRAM: 0x010,
  USE_CPU_AND_GPU: 0x020,
} as const;

/** The flags the ANE adapter uses: CPU + ANE compute units, static shapes, ML Program. */
export const ANE_COREML_FLAGS =
  COREML_FLAGS.ONLY_ENABLE_DEVICE_WITH_ANE |
  COREML_FLAGS.ONLY_ALLOW_STATIC_INPUT_SHAPES |
  COREML_FLAGS.CREATE_MLPROGRAM;

/** The provider name ORT writes in profiles for nodes CoreML ran. */
export const COREML_PROVIDER = 'CoreMLExecutionProvider';
