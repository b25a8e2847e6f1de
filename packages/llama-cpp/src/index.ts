export {
  type DownloadProgress,
  defaultModelDir,
  downloadGguf,
  isModelUri,
} from './download-gguf.js';
export { checkLlamaInstall, type InstallCheck } from './find-prebuilt.js';
export { LlamaGenerationSession, type LlamaParts } from './llama-generation-session.js';
export {
  DEFAULT_CONTEXT_SIZE,
  type LlamaLoadRequest,
  loadLlamaSession,
} from './load-llama-session.js';
export {
  getLlamaFor,
  INSTALL_HINT,
  type Llama,
  type LlamaGpu,
  loadNodeLlamaCpp,
  type NodeLlamaCpp,
} from './load-node-llama-cpp.js';
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
