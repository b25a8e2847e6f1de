import {
  BackendLoadError,
  type DeviceInfo,
  type LoadedSession,
  type ModelDescriptor,
  messageOf,
  type PlacementDetails,
} from '@npu-first/core';
import type { LlamaContext, LlamaModel } from 'node-llama-cpp';
import { LlamaGenerationSession } from './llama-generation-session.js';
import { loadFailure } from './load-failure.js';
import {
  getLlamaFor,
  type Llama,
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
  /** Why `threads` is that many (`load option`, `small model`…); default `load option`. */
  readonly threadsWhy?: string;
  /** Layers to offload to the GPU (GPU builds only). */
  readonly gpuLayers?: number | 'max' | 'auto';
  readonly signal?: AbortSignal;
}

export const DEFAULT_CONTEXT_SIZE = 4096;

/**
 * Loads a GGUF model with the llama.cpp build `gpu` for a v2 backend's `load()`: the
 * generation session, the device, and details (threads and why, llama.cpp's own device, the
 * layers offloaded). In-memory models are written to a temporary file first (llama.cpp reads
 * files), removed on release.
 */
export async function loadLlamaSession(request: LlamaLoadRequest): Promise<LoadedSession> {
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
    return {
      task: 'text-generation',
      session: new LlamaGenerationSession({ nlc, model: llamaModel, context, cleanup }, backendId),
      device: request.device,
      details: await llamaDetails(llama, llamaModel, context, request),
    };
  } catch (error) {
    await llamaModel.dispose();
    await cleanup();
    if (request.signal?.aborted) throw error;
    throw new BackendLoadError(backendId, `creating a context failed: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/** What the engine chose and runs on, for `model.placement.details`. */
async function llamaDetails(
  llama: Llama,
  model: LlamaModel,
  context: LlamaContext,
  request: LlamaLoadRequest,
): Promise<PlacementDetails> {
  const threads = {
    count: context.idealThreads,
    why:
      request.threads === undefined ? 'llama.cpp default' : (request.threadsWhy ?? 'load option'),
  };
  if (llama.gpu === false) {
    return {
      threads,
      engineDevice: 'llama.cpp cpu',
      note: `${threads.count} threads (${threads.why})`,
    };
  }
  const names = await llama.getGpuDeviceNames().catch(() => []);
  const layers = `${model.gpuLayers}/${model.fileInsights.totalLayers} layers on the GPU`;
  return {
    threads,
    engineDevice: `llama.cpp ${llama.gpu}${names.length > 0 ? ` (${names.join(', ')})` : ''}`,
    note: layers,
    gpuLayers: model.gpuLayers,
  };
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
