import {
  BackendLoadError,
  type DeviceInfo,
  type ModelDescriptor,
  messageOf,
} from '@npu-first/core';
import { LlamaTextGenerator } from './llama-text-generator.js';
import { loadFailure } from './load-failure.js';
import {
  getLlamaFor,
  type LlamaGpu,
  loadNodeLlamaCpp,
  takeRecentLogs,
} from './load-node-llama-cpp.js';
import { writeTempModel } from './temp-model-file.js';

/** What a backend decides for one GGUF load. */
export interface LlamaLoadRequest {
  readonly backendId: string;
  readonly gpu: LlamaGpu;
  readonly model: ModelDescriptor;
  readonly device: DeviceInfo;
  /** Tokens of context; default min(model's training context, 4096). */
  readonly contextSize?: number;
  readonly threads?: number;
  /** Layers to offload to the GPU (GPU builds only). */
  readonly gpuLayers?: number | 'max' | 'auto';
  readonly signal?: AbortSignal;
}

export const DEFAULT_CONTEXT_SIZE = 4096;

/**
 * Loads a GGUF model with the llama.cpp build `gpu` and returns a `TextGenerator`. In-memory
 * models are written to a temporary file first (llama.cpp reads files), removed on dispose.
 */
export async function createLlamaGenerator(request: LlamaLoadRequest): Promise<LlamaTextGenerator> {
  const { model, backendId } = request;
  const nlc = await loadNodeLlamaCpp();
  const llama = await getLlamaFor(request.gpu);
  let path = model.path;
  let cleanup = async () => {};
  if (path === undefined) {
    const temp = await writeTempModel(model.bytes as Uint8Array);
    path = temp.path;
    cleanup = temp.remove;
  }
  takeRecentLogs();
  let llamaModel: Awaited<ReturnType<typeof llama.loadModel>>;
  try {
    llamaModel = await llama.loadModel({
      modelPath: path,
      ...(request.gpu === false ? { gpuLayers: 0 } : { gpuLayers: request.gpuLayers ?? 'max' }),
    });
  } catch (error) {
    await cleanup();
    const logs = await logsAfterFailure();
    const detail = [
      ...logs.filter((l) => !/failed to load model/i.test(l)).slice(-2),
      messageOf(error),
    ].join(' — ');
    throw loadFailure(backendId, model.name, detail, error);
  }
  try {
    const contextSize = Math.min(
      request.contextSize ?? DEFAULT_CONTEXT_SIZE,
      llamaModel.trainContextSize,
    );
    const context = await llamaModel.createContext({
      contextSize,
      sequences: 1,
      ...(request.threads !== undefined ? { threads: request.threads } : {}),
    });
    if (request.signal?.aborted) {
      await context.dispose();
      throw request.signal.reason;
    }
    return new LlamaTextGenerator(
      { nlc, model: llamaModel, context, cleanup },
      backendId,
      model.name,
      request.device,
    );
  } catch (error) {
    await llamaModel.dispose();
    await cleanup();
    if (request.signal?.aborted) throw error;
    throw new BackendLoadError(backendId, `creating a context failed: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/**
 * llama.cpp's log lines reach JavaScript a little after the failed load rejects; wait (up to
 * 200 ms) for its closing "failed to load model" line so the error can say what it saw.
 */
async function logsAfterFailure(): Promise<string[]> {
  const logs: string[] = [];
  for (let waited = 0; waited < 200; waited += 10) {
    logs.push(...takeRecentLogs());
    if (logs.some((l) => /failed to load model/i.test(l))) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return logs;
}
