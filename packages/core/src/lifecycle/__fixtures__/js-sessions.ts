import { GenerationAbortedError } from '../../errors/errors.js';
import type { GenerationSession, GraphSession } from '../../spec/backend-v2.js';
import { type Feeds, type Tensor, tensor } from '../../spec/tensor.js';
import type { GenerationInput } from '../../spec/text-generation.js';
import { GenerationLifecycle } from '../generation-lifecycle.js';

/** A turn of the event loop: lets other runs start while one is in flight. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Sessions that really compute, in JavaScript: not stand-ins for an engine, but the smallest
 * engines there are. `log` records what the lifecycle asked of them, in order.
 */
export interface SessionLog {
  readonly events: string[];
  prepared: number;
  running: number;
  maxRunning: number;
}

export const newLog = (): SessionLog => ({ events: [], prepared: 0, running: 0, maxRunning: 0 });

/** `y = x + 1` and `z = 2x` for a float32 `x` of shape [batch, 3]. Each run takes one loop turn. */
export function addOneSession(log: SessionLog = newLog()): GraphSession<Float32Array> {
  return {
    inputs: [{ name: 'x', type: 'float32', shape: ['batch', 3] }],
    outputs: [
      { name: 'y', type: 'float32', shape: ['batch', 3] },
      { name: 'z', type: 'float32', shape: ['batch', 3] },
    ],
    // What an engine does here is wrap the buffer; this one keeps it.
    prepare: (feeds: Feeds) => {
      log.prepared++;
      return (feeds.x as Tensor<'float32'>).data;
    },
    async run(feeds, outputNames, x) {
      const dims = (feeds.x as Tensor).dims;
      log.events.push(`run ${outputNames.join(',')}`);
      log.running++;
      log.maxRunning = Math.max(log.maxRunning, log.running);
      await tick();
      log.running--;
      log.events.push('ran');
      const out: Record<string, Tensor> = {};
      if (outputNames.includes('y'))
        out.y = tensor(
          'float32',
          x.map((v) => v + 1),
          [...dims],
        );
      if (outputNames.includes('z'))
        out.z = tensor(
          'float32',
          x.map((v) => v * 2),
          [...dims],
        );
      return out;
    },
    async release() {
      log.events.push('release');
    },
  };
}

/** The words of a prompt or conversation: this model's tokens. */
export function words(input: GenerationInput): string[] {
  const text = typeof input === 'string' ? input : input.map((m) => m.content).join(' ');
  return text.split(/\s+/).filter((w) => w !== '');
}

/**
 * A language model that counts: it answers "1 2 3 …", one token per number, and hands its
 * text over two tokens a chunk (so chunks are not tokens). It stops at `maxTokens`, before a
 * stop sequence, or at `endAt` tokens (end of text); on abort it rejects with its own counts.
 * `untypedAbort`: it rejects with a plain error instead, as a careless engine would.
 */
export function countingSession(
  options: { contextSize?: number; endAt?: number; untypedAbort?: boolean; fail?: string } = {},
  log: string[] = [],
): GenerationSession {
  return {
    contextSize: options.contextSize ?? 64,
    countPromptTokens: (input) => words(input).length,
    async generate(request, onChunk, signal) {
      const { input, options: checked } = request;
      const label = typeof input === 'string' ? input : 'chat';
      log.push(`start ${label}`);
      let text = '';
      let generated = 0;
      let pending = '';
      let stopReason: 'max-tokens' | 'end-of-text' | 'stop-sequence' = 'max-tokens';
      while (generated < checked.maxTokens) {
        await tick();
        if (signal.aborted) {
          log.push(`aborted ${label}`);
          if (options.untypedAbort) throw new Error('interrupted');
          throw new GenerationAbortedError(text, generated);
        }
        if (options.fail) throw new Error(options.fail);
        if (options.endAt !== undefined && generated >= options.endAt) {
          stopReason = 'end-of-text';
          break;
        }
        const token = `${generated === 0 ? '' : ' '}${generated + 1}`;
        if (checked.stop.some((s) => (text + token).includes(s))) {
          stopReason = 'stop-sequence';
          break;
        }
        text += token;
        pending += token;
        generated++;
        if (generated % 2 === 0) {
          onChunk(pending);
          pending = '';
        }
      }
      if (pending !== '') onChunk(pending);
      log.push(`end ${label}`);
      return { text, promptTokens: words(input).length, generatedTokens: generated, stopReason };
    },
    async release() {
      log.push('release');
    },
  };
}

/** A text's letters a–z, counted: the vector `embeddingSession` computes for it. */
export function letterCounts(text: string): Float32Array {
  const counts = new Float32Array(26);
  for (const c of text.toLowerCase()) {
    const i = c.charCodeAt(0) - 97;
    if (i >= 0 && i < 26) counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/**
 * `countingSession` that also embeds: each text's vector is its `letterCounts`, its tokens its
 * words. Each text takes one loop turn, and an abort stops before the next one (rejecting with
 * a plain error under `untypedAbort`); `fail` makes it fail as an engine would.
 */
export function embeddingSession(
  options: { contextSize?: number; untypedAbort?: boolean; fail?: string } = {},
  log: string[] = [],
): GenerationSession {
  return {
    ...countingSession(options, log),
    async embed(texts, signal) {
      const vectors: Float32Array[] = [];
      for (const text of texts) {
        if (signal.aborted) {
          log.push('embed aborted');
          if (options.untypedAbort) throw new Error('interrupted');
          throw new GenerationAbortedError('', 0);
        }
        await tick();
        if (options.fail) throw new Error(options.fail);
        log.push(`embed ${text}`);
        vectors.push(letterCounts(text));
      }
      return { vectors, promptTokens: texts.reduce((n, t) => n + words(t).length, 0) };
    },
  };
}

/** A session in core's lifecycle, as the tests open it: model `count.gguf` on backend `cpu-js`. */
export const openGeneration = (session: GenerationSession): GenerationLifecycle =>
  new GenerationLifecycle(
    session,
    { name: 'JavaScript' },
    { name: 'count.gguf', backendId: 'cpu-js' },
  );
