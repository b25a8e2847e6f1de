export { chunkStream } from './chunk-stream.js';
export {
  createLlamaGenerator,
  DEFAULT_CONTEXT_SIZE,
  type LlamaLoadRequest,
} from './create-generator.js';
export {
  type DownloadProgress,
  defaultModelDir,
  downloadGguf,
  isModelUri,
} from './download-gguf.js';
export { checkLlamaInstall, type InstallCheck } from './find-prebuilt.js';
export { LlamaTextGenerator } from './llama-text-generator.js';
export {
  getLlamaFor,
  INSTALL_HINT,
  type Llama,
  type LlamaGpu,
  loadNodeLlamaCpp,
  type NodeLlamaCpp,
} from './load-node-llama-cpp.js';
export { SerialQueue } from './serial-queue.js';
export {
  chooseLlamaThreads,
  chooseLlamaThreadsFor,
  type LlamaThreadChoice,
  type LlamaThreadInput,
  type LlamaThreadSource,
  SMALL_MACHINE_CORES,
  TINY_MODEL_BYTES,
  TINY_MODEL_MAX_THREADS,
} from './thread-choice.js';
