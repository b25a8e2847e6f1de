/**
 * node-llama-cpp used directly, the raw side of the LLM comparisons: its CPU build (nothing
 * compiled or downloaded) and a model loaded with no GPU layers, as the runtime's CPU backend
 * loads it.
 */
export async function loadRawLlama(modelPath: string) {
  const nlc = await import('node-llama-cpp');
  const llama = await nlc.getLlama({
    gpu: false,
    build: 'never',
    skipDownload: true,
    progressLogs: false,
    logLevel: nlc.LlamaLogLevel.error,
  });
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  return { nlc, model };
}
