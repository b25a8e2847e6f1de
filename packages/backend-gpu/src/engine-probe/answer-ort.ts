import { messageOf } from '@npu-first/core';
import { loadOrt, ortVersion } from '@npu-first/onnxruntime';
import { checkExecutionProvider } from '../ort/engine-check.js';
import type { EngineQuestion, OrtAnswer } from './questions.js';

/** In the probe process: can onnxruntime-node start this execution provider? */
export async function answerOrt(
  question: Extract<EngineQuestion, { engine: 'onnxruntime' }>,
): Promise<OrtAnswer> {
  let ort: Awaited<ReturnType<typeof loadOrt>>;
  try {
    ort = await loadOrt();
  } catch (error) {
    return { engine: 'onnxruntime', status: 'missing', message: messageOf(error) };
  }
  const version = ortVersion(ort);
  if (!ort.listSupportedBackends().some((b) => b.name === question.ep)) {
    return { engine: 'onnxruntime', version, status: 'no-provider' };
  }
  // Warnings go to this process's stderr, which the host captures: Dawn says there why it
  // found no adapter ("Couldn't load Vulkan: libvulkan.so.1: …"), and ONNX Runtime why a
  // provider library did not load.
  ort.env.logLevel = 'warning';
  const failure = await checkExecutionProvider(question.ep, question.options, 2);
  return failure === undefined
    ? { engine: 'onnxruntime', version, status: 'started' }
    : { engine: 'onnxruntime', version, status: 'failed', message: failure };
}
