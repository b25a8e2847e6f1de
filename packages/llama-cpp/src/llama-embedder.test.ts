import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ContextOverflowError,
  GenerationAbortedError,
  InvalidInputError,
  ModelDisposedError,
} from '@npu-first/core';
import { writeTinyLlamaGguf } from '@npu-first/testkit';
import { LlamaEmbeddingContext, type LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTinySession, type TinyGenerator } from './__fixtures__/tiny-session.js';
import { getLlamaFor } from './load-node-llama-cpp.js';

/**
 * Embeddings on real node-llama-cpp with the tiny random-weight GGUF, through core's lifecycle
 * as a user holds the model. Random weights give meaningless vectors, but deterministic ones.
 */
let dir: string;
let generator: TinyGenerator;
/** A second handle on the same file, for its tokenizer and sizes. */
let model: LlamaModel;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npu-first-llama-embed-'));
  const path = await writeTinyLlamaGguf(dir);
  ({ generator } = await openTinySession(path));
  model = await (await getLlamaFor(false)).loadModel({ modelPath: path, gpuLayers: 0 });
});

afterAll(async () => {
  await generator?.dispose();
  await model?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The tokens node-llama-cpp evaluates for one text: BOS, then the text with special tokens. */
function embeddedLength(text: string): number {
  // The tiny vocabulary asks for a start token and no end token.
  expect([model.tokens.shouldPrependBosToken, model.tokens.shouldAppendEosToken]).toEqual([
    true,
    false,
  ]);
  return 1 + model.tokenize(text, true).length;
}

const thrown = async (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('LlamaGenerationSession embeddings', () => {
  it("returns one vector of the model's embedding length per text, in order, deterministically", async () => {
    const texts = ['hello world', 'the quick brown fox', 'hello world', 'a'];
    const { vectors, promptTokens } = await generator.embed(texts);
    expect(vectors).toHaveLength(4);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector.length).toBe(model.embeddingVectorSize);
      expect(vector.every(Number.isFinite)).toBe(true);
    }
    expect(vectors[0]).toEqual(vectors[2]);
    expect(vectors[0]).not.toEqual(vectors[1]);
    expect(vectors[1]).not.toEqual(vectors[3]);
    // Each text alone gives the vector it got in the batch: order is kept, texts do not mix.
    for (const [i, text] of texts.entries())
      expect((await generator.embed(text)).vectors[0]).toEqual(vectors[i]);
    expect(promptTokens).toBe(texts.reduce((sum, t) => sum + embeddedLength(t), 0));
  });

  it('leaves generation as it was: the embedding context is its own', async () => {
    const greedy = { maxTokens: 8, temperature: 0 } as const;
    const before = await generator.generate('hello world', greedy);
    await generator.embed(['something else entirely', 'hello']);
    const after = await generator.generate('hello world', greedy);
    expect(after.text).toBe(before.text);
    expect(after.stats.promptTokens).toBe(before.stats.promptTokens);
  });

  it('refuses a text longer than the context with CONTEXT_OVERFLOW naming it', async () => {
    const long = 'hello '.repeat(600);
    const error = await thrown(generator.embed(['hello', long]));
    expect(ContextOverflowError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      input: 'input[1]',
      promptTokens: embeddedLength(long),
      contextSize: generator.contextSize,
    });
    expect((await generator.embed('hello')).vectors).toHaveLength(1);
  });

  it('refuses bad input before the engine, and stops between texts on abort', async () => {
    const bad = await thrown(generator.embed(['hello', '']));
    expect(InvalidInputError.isInstance(bad)).toBe(true);
    expect(bad).toMatchObject({ input: 'input[1]' });
    const early = await thrown(generator.embed('hello', { signal: AbortSignal.abort() }));
    expect(GenerationAbortedError.isInstance(early)).toBe(true);
    // Each text is one evaluation that ends on a later turn of the event loop than this abort.
    const controller = new AbortController();
    const texts = Array.from({ length: 8 }, (_, i) => `text number ${i}`);
    const evaluations = vi.spyOn(LlamaEmbeddingContext.prototype, 'getEmbeddingFor');
    const running = generator.embed(texts, { signal: controller.signal });
    setImmediate(() => controller.abort());
    expect(GenerationAbortedError.isInstance(await thrown(running))).toBe(true);
    // Stopped in the engine, not only reported: the texts after the abort were never evaluated.
    expect(evaluations.mock.calls.length).toBeLessThan(texts.length);
    evaluations.mockRestore();
    // The model goes on as before.
    const again = await generator.embed(texts);
    expect(again.vectors).toHaveLength(8);
    expect(again.vectors[7]).toEqual((await generator.embed(texts[7] as string)).vectors[0]);
  });

  it('refuses after dispose with MODEL_DISPOSED, freeing the embedding context with the model', async () => {
    const path = await writeTinyLlamaGguf(dir, { fileName: 'tiny-disposed.gguf' });
    // Observed, not replaced: the real dispose runs.
    const disposeSpy = vi.spyOn(LlamaEmbeddingContext.prototype, 'dispose');
    const { generator: own } = await openTinySession(path, {
      name: 'tiny-disposed.gguf',
      contextSize: 256,
    });
    const running = own.embed(['hello', 'world']);
    await own.dispose();
    expect((await running).vectors).toHaveLength(2);
    expect(disposeSpy).toHaveBeenCalledTimes(1);
    disposeSpy.mockRestore();
    expect(ModelDisposedError.isInstance(await thrown(own.embed('hello')))).toBe(true);
  });
});
