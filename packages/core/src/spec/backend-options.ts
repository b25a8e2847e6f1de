/** ONNX Runtime session settings, as every ONNX Runtime backend takes them in its options. */
export interface OrtSessionSettings {
  /** Threads used to run independent nodes in parallel (inter-op). */
  readonly interOpThreads?: number;
  readonly executionMode?: 'sequential' | 'parallel';
  readonly enableCpuMemArena?: boolean;
  readonly enableMemPattern?: boolean;
  /** 0 verbose … 4 fatal. Default 3 (errors only), so model warnings do not flood stderr. */
  readonly logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

/** An ONNX Runtime GPU execution provider's options: which GPU, and the session settings. */
export interface OrtGpuOptions extends OrtSessionSettings {
  /** The GPU's index, as the provider counts them. Default 0. */
  readonly deviceId?: number;
}

/** A llama.cpp GPU build's options. */
export interface LlamaGpuOptions {
  /** Layers offloaded to the GPU: a count, `'max'` (default) or `'auto'`. */
  readonly gpuLayers?: number | 'max' | 'auto';
}

/** Sizes for a model's symbolic input dimensions, by name: `{ batch: 1, sequence: 512 }`. */
export type ShapePins = Readonly<Record<string, number>>;

/** The options of an NPU backend that compiles static shapes. */
export interface NpuShapeOptions {
  /** Pins symbolic input dimensions so the NPU gets static shapes. */
  readonly shapes?: ShapePins;
}

/**
 * The options each known backend takes in `load(model, { backendOptions: { [id]: … } })`, by
 * backend id. A backend id missing here, or a key its entry lacks, does not type-check (and is
 * refused at run time). A plugin adds its own by declaration merging:
 *
 * ```ts
 * declare module '@npu-first/core' {
 *   interface BackendOptionsMap { 'my-backend': { tiles?: number } }
 * }
 * ```
 */
export interface BackendOptionsMap {
  'cpu-onnxruntime': OrtSessionSettings;
  /** Takes none: use the common `threads` and `contextSize` load options. */
  'cpu-llamacpp': Record<string, never>;
  'gpu-onnxruntime-tensorrt': OrtGpuOptions;
  'gpu-onnxruntime-cuda': OrtGpuOptions;
  'gpu-onnxruntime-dml': OrtGpuOptions;
  'gpu-onnxruntime-webgpu': OrtGpuOptions;
  'gpu-onnxruntime-coreml': OrtGpuOptions;
  'gpu-llamacpp-cuda': LlamaGpuOptions;
  'gpu-llamacpp-vulkan': LlamaGpuOptions;
  'gpu-llamacpp-metal': LlamaGpuOptions;
  'npu-coreml': OrtSessionSettings &
    NpuShapeOptions & {
      /** The least share of the graph that must run on the NPU (0–1); below it the backend declines. */
      readonly minNpuCoverage?: number;
    };
  'npu-openvino': NpuShapeOptions & {
    /** OpenVINO's compiled-model cache (`CACHE_DIR`): the second load of a model is fast. */
    readonly cacheDir?: string;
  };
}

/** `backendOptions` of `load()`: each known backend's own options, by id. */
export type BackendOptions = {
  readonly [Id in keyof BackendOptionsMap]?: BackendOptionsMap[Id];
};
