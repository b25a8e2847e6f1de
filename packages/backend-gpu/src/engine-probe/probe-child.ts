/**
 * The engine probe process. The host (`askEngine`) forks it with stdout and stderr piped, sends
 * one question over IPC, and reads one answer back. Native engine code prints straight to file
 * descriptors 1 and 2 (Mesa, the Vulkan loader, Dawn, ONNX Runtime) and Node cannot redirect
 * those inside a process: here they land in the host's pipes instead of the user's terminal.
 * Built as its own entry point: dist/engine-probe/probe-child.js.
 */
import { messageOf } from '@npu-first/core';
import type { EngineAnswer, EngineQuestion } from './questions.js';

async function answer(question: EngineQuestion): Promise<EngineAnswer> {
  return question.engine === 'onnxruntime'
    ? (await import('./answer-ort.js')).answerOrt(question)
    : (await import('./answer-llama.js')).answerLlama(question);
}

function reply(message: EngineAnswer): void {
  // Exit at once: engines keep native threads and handles that would hold the process open.
  process.send?.(message, () => process.exit(0));
}

// The host went away (it exited or killed us): nobody is left to answer.
process.on('disconnect', () => process.exit(0));
process.once('message', (question: EngineQuestion) => {
  answer(question).then(reply, (error: unknown) =>
    reply(
      question.engine === 'onnxruntime'
        ? { engine: 'onnxruntime', status: 'failed', message: messageOf(error) }
        : { engine: 'node-llama-cpp', status: 'failed', message: messageOf(error) },
    ),
  );
});
