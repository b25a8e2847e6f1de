import { messageOf } from '@npu-first/core';
import { loadNodeLlamaCpp } from '@npu-first/llama-cpp';
import type { EngineQuestion, LlamaAnswer } from './questions.js';

/** The library from the system each GPU build's binary loads first, by platform. */
const RUNTIME_LIBRARIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  linux: { vulkan: 'libvulkan.so.1', cuda: 'libcuda.so.1' },
  win32: { vulkan: 'vulkan-1.dll', cuda: 'nvcuda.dll' },
};

/** llama.cpp's lines worth keeping: what its GPU backends say, and anything it warns about. */
const KEEP = /^ggml_(vulkan|cuda|metal)|error|warn|fail/i;

/** In the probe process: does node-llama-cpp's GPU build load, and which devices does it see? */
export async function answerLlama(
  question: Extract<EngineQuestion, { engine: 'node-llama-cpp' }>,
): Promise<LlamaAnswer> {
  const engine = 'node-llama-cpp';
  let nlc: Awaited<ReturnType<typeof loadNodeLlamaCpp>>;
  try {
    nlc = await loadNodeLlamaCpp();
  } catch (error) {
    return { engine, status: 'missing', message: messageOf(error) };
  }
  const version = await nlc.getModuleVersion().catch(() => undefined);
  const logs: string[] = [];
  try {
    // getLlamaFor's options (@npu-first/llama-cpp: prebuilt binaries only, nothing compiled or
    // downloaded), at debug level: llama.cpp names its devices and their drivers there.
    const llama = await nlc.getLlama({
      gpu: question.gpu,
      build: 'never',
      skipDownload: true,
      progressLogs: false,
      logLevel: nlc.LlamaLogLevel.debug,
      logger: (level, message) => {
        const line = message.trim();
        if (KEEP.test(line) || /error|warn/.test(String(level))) logs.push(line);
      },
    });
    const deviceNames = await llama.getGpuDeviceNames().catch(() => [] as string[]);
    const vram = await llama.getVramState().catch(() => ({ total: 0 }));
    // llama.cpp's log lines reach JavaScript asynchronously: let the last ones arrive.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return {
      engine,
      ...(version ? { version } : {}),
      status: 'loaded',
      gpu: llama.gpu,
      deviceNames,
      vramTotalBytes: vram.total,
      logs: logs.slice(-30),
    };
  } catch (error) {
    // node-llama-cpp only says `NoBinaryFoundError`; the dynamic loader says why.
    const library = RUNTIME_LIBRARIES[process.platform]?.[question.gpu];
    return {
      engine,
      ...(version ? { version } : {}),
      status: 'failed',
      message: messageOf(error) || (error as Error).name,
      logs: logs.slice(-30),
      ...(library ? { runtimeLibrary: { name: library, ...tryToLoad(library) } } : {}),
    };
  }
}

/**
 * Loads a library the way the build's binary would. Node then refuses it as an addon ("did not
 * self-register"), which still means the dynamic loader found and loaded it.
 */
function tryToLoad(library: string): { error?: string } {
  try {
    process.dlopen({ exports: {} }, library);
    return {};
  } catch (error) {
    const message = messageOf(error);
    return /self-register/i.test(message) ? {} : { error: message };
  }
}
