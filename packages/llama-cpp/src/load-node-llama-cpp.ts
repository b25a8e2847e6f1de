import { EngineMissingError } from '@npu-first/core';

/** The node-llama-cpp module, typed as its own package declares it. */
export type NodeLlamaCpp = typeof import('node-llama-cpp');
export type Llama = Awaited<ReturnType<NodeLlamaCpp['getLlama']>>;

/** Which llama.cpp build to load: the CPU one, or a GPU one. */
export type LlamaGpu = false | 'cuda' | 'vulkan' | 'metal';

export const INSTALL_HINT =
  'add it with `npm install node-llama-cpp` (an optional peer: only GGUF language models need it)';

let module: Promise<NodeLlamaCpp> | undefined;
const instances = new Map<LlamaGpu, Promise<Llama>>();

/**
 * Imports node-llama-cpp on first use. It is an optional peer: users who run only ONNX
 * models never install its hundreds of MB of binaries, and its absence is a probe reason.
 */
export function loadNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  module ??= import('node-llama-cpp').catch((error: unknown) => {
    module = undefined;
    throw new EngineMissingError('node-llama-cpp', INSTALL_HINT, { cause: error });
  });
  return module;
}

/**
 * One llama.cpp instance per build, shared by every model of the process. `build: 'never'`
 * and `skipDownload` keep it from compiling or downloading anything at run time: only the
 * prebuilt binaries that shipped with the package are used.
 */
export function getLlamaFor(gpu: LlamaGpu): Promise<Llama> {
  let instance = instances.get(gpu);
  if (!instance) {
    instance = loadNodeLlamaCpp().then((nlc) =>
      nlc.getLlama({
        gpu,
        build: 'never',
        skipDownload: true,
        progressLogs: false,
        logLevel: nlc.LlamaLogLevel.error,
        logger: recordLog,
      }),
    );
    instance.catch(() => instances.delete(gpu));
    instances.set(gpu, instance);
  }
  return instance;
}

/** The last lines llama.cpp logged, to explain a failed load. */
const recentLogs: string[] = [];

function recordLog(_level: unknown, message: string): void {
  recentLogs.push(message.trim());
  if (recentLogs.length > 20) recentLogs.shift();
}

/** Takes (and clears) what llama.cpp logged since the last call. */
export function takeRecentLogs(): string[] {
  return recentLogs.splice(0, recentLogs.length).filter((l) => l !== '');
}
