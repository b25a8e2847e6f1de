import { type GenerationSession, type LifecycleModel, openLifecycle } from '@npu-first/core';
import { loadLlamaSession } from '../load-llama-session.js';

/** Core's language model over a llama.cpp session (its `embed` is always there). */
export type TinyGenerator = Extract<LifecycleModel, { task: 'text-generation' }>;

/** The tiny GGUF at `path` on the real llama.cpp CPU build: its engine session, and core's model around it. */
export async function openTinySession(
  path: string,
  { name = 'tiny-llama.gguf', contextSize = 512 } = {},
): Promise<{ session: GenerationSession; generator: TinyGenerator }> {
  const loaded = await loadLlamaSession({
    backendId: 'cpu-llamacpp',
    gpu: false,
    model: { format: 'gguf', name, path, sizeBytes: 0 },
    device: { name: 'cpu' },
    contextSize,
    threads: 1,
  });
  if (loaded.task !== 'text-generation') throw new Error('expected a generation session');
  const generator = openLifecycle(loaded, { name, backendId: 'cpu-llamacpp' });
  if (generator.task !== 'text-generation') throw new Error('expected a text generator');
  return { session: loaded.session, generator };
}
