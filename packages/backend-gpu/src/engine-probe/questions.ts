/**
 * What the host asks the engine probe process (`probe-child.ts`), and what it answers, over
 * Node's IPC channel (JSON).
 */
export type EngineQuestion =
  /** Start one onnxruntime-node execution provider on the 104-byte probe model. */
  | {
      readonly engine: 'onnxruntime';
      readonly ep: string;
      readonly options?: Readonly<Record<string, unknown>>;
    }
  /** Load one of node-llama-cpp's prebuilt GPU builds and list its devices. */
  | { readonly engine: 'node-llama-cpp'; readonly gpu: 'cuda' | 'vulkan' | 'metal' };

/** The answer to an onnxruntime question. */
export interface OrtAnswer {
  readonly engine: 'onnxruntime';
  /** onnxruntime-node's version, once it was imported. */
  readonly version?: string;
  /**
   * `started`: the provider ran the probe model; `failed`: ONNX Runtime refused (`message`);
   * `no-provider`: this build lacks it; `missing`: onnxruntime-node cannot be imported.
   */
  readonly status: 'started' | 'failed' | 'no-provider' | 'missing';
  readonly message?: string;
}

/** The answer to a node-llama-cpp question. */
export interface LlamaAnswer {
  readonly engine: 'node-llama-cpp';
  readonly version?: string;
  /** `loaded`: the build loaded (devices below); `failed`: it did not (`message`); `missing`: no node-llama-cpp. */
  readonly status: 'loaded' | 'failed' | 'missing';
  readonly message?: string;
  /** The build node-llama-cpp really loaded (`false`: the CPU one). */
  readonly gpu?: string | false;
  readonly deviceNames?: readonly string[];
  readonly vramTotalBytes?: number;
  /** What llama.cpp logged about its GPU backend (`ggml_vulkan: …`), warnings and errors. */
  readonly logs?: readonly string[];
  /**
   * After a failed load: the GPU runtime library the build needs (`libvulkan.so.1`,
   * `libcuda.so.1`) and the dynamic loader's error when even it does not load.
   */
  readonly runtimeLibrary?: { readonly name: string; readonly error?: string };
}

export type EngineAnswer = OrtAnswer | LlamaAnswer;
