import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ChatMessage,
  ContextOverflowError,
  type GenerationSession,
  type GenerationStats,
  type TextGenerator,
} from '@npu-first/core';
import { writeTinyLlamaGguf } from '@npu-first/testkit';
import type { LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTinySession } from './__fixtures__/tiny-session.js';
import { getLlamaFor, loadNodeLlamaCpp } from './load-node-llama-cpp.js';

/**
 * Token counts and text on real node-llama-cpp with the tiny random-weight GGUF, through
 * core's lifecycle as a user holds the model. Its text is gibberish but greedy decoding is
 * deterministic, so a case built from one generation's text (a stop sequence that matches it
 * partly) reproduces on the next.
 */
let dir: string;
let session: GenerationSession;
let generator: TextGenerator;
/** A second handle on the same file, for its tokenizer and chat template. */
let model: LlamaModel;

const HELLO = [{ role: 'user', content: 'hello' }] as const;
const GREEDY = { maxTokens: 16, temperature: 0 } as const;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npu-first-llama-counts-'));
  const path = await writeTinyLlamaGguf(dir);
  ({ session, generator } = await openTinySession(path));
  model = await (await getLlamaFor(false)).loadModel({ modelPath: path, gpuLayers: 0 });
});

afterAll(async () => {
  await generator?.dispose();
  await model?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The tokens node-llama-cpp's LlamaCompletion evaluates for a raw prompt: BOS, then the text. */
function rawPromptLength(prompt: string): number {
  expect(model.tokens.shouldPrependBosToken).toBe(true);
  return model.tokenize(prompt, false, 'trimLeadingSpace').length + 1;
}

/** The tokens of a conversation rendered by the model's chat template, ready for the answer. */
async function chatPromptLength(messages: readonly { role: string; content: string }[]) {
  const { resolveChatWrapper } = await loadNodeLlamaCpp();
  const wrapper = resolveChatWrapper(model);
  const { contextText } = wrapper.generateContextState({
    chatHistory: [
      ...messages.map((m) =>
        m.role === 'user'
          ? { type: 'user' as const, text: m.content }
          : m.role === 'system'
            ? { type: 'system' as const, text: m.content }
            : { type: 'model' as const, response: [m.content] },
      ),
      { type: 'model', response: [] },
    ],
  });
  return contextText.tokenize(model.tokenizer).length;
}

/** Decoding speed is the tokens after the first over the time after the first. */
function expectConsistentTiming(stats: GenerationStats): void {
  expect(stats.timeToFirstTokenMs).toBeGreaterThan(0);
  expect(stats.timeToFirstTokenMs).toBeLessThanOrEqual(stats.totalMs);
  expect(stats.tokensPerSecond).toBeGreaterThan(0);
  if (stats.generatedTokens > 1) {
    const decodeMs = ((stats.generatedTokens - 1) * 1000) / stats.tokensPerSecond;
    expect(decodeMs).toBeCloseTo(stats.totalMs - stats.timeToFirstTokenMs, 0);
  }
}

describe('LlamaGenerationSession token counts', () => {
  it('counts and returns the tokens a chat turn held back for a stop sequence that never completed', async () => {
    const plain = await generator.generate(HELLO, GREEDY);
    expect(plain.stats).toMatchObject({ generatedTokens: 16, stopReason: 'max-tokens' });
    const firstSpace = plain.text.indexOf(' ', 1);
    expect(firstSpace).toBeGreaterThan(0);
    // Everything after the first word starts this stop sequence, so node-llama-cpp holds those
    // tokens back, then hits maxTokens and never hands them to onToken (which saw just one).
    const stop = `${plain.text.slice(firstSpace)}Z`;
    const held = await generator.generate(HELLO, { ...GREEDY, stop: [stop] });
    expect(held.stats.stopReason).toBe('max-tokens');
    expect(held.stats.generatedTokens).toBe(16);
    expect(held.stats.promptTokens).toBe(plain.stats.promptTokens);
    // The stop sequence never completed, so what node-llama-cpp held back is reply text too.
    expect(held.text).toBe(plain.text);
    expectConsistentTiming(held.stats);
  });

  it('counts every token when the whole turn was held back, and still times the first', async () => {
    const plain = await generator.generate(HELLO, GREEDY);
    const held = await generator.generate(HELLO, { ...GREEDY, stop: [`${plain.text}Z`] });
    expect(held.stats).toMatchObject({ generatedTokens: 16, stopReason: 'max-tokens' });
    expect(held.text).toBe(plain.text);
    // The first token is timed when it was sampled, not when (if ever) its text came out.
    expect(held.stats.timeToFirstTokenMs).toBeLessThan(held.stats.totalMs);
    expectConsistentTiming(held.stats);
  });

  it('counts the tokens of a stop sequence it stopped at', async () => {
    const plain = await generator.generate(HELLO, GREEDY);
    const words = plain.text.split(' ');
    expect(words.length).toBeGreaterThan(6);
    const stop = ` ${words[4]} ${words[5]}`;
    const stopped = await generator.generate(HELLO, { ...GREEDY, stop: [stop] });
    expect(stopped.stats.stopReason).toBe('stop-sequence');
    expect(stopped.text).toBe(plain.text.slice(0, plain.text.indexOf(stop)));
    // The engine sampled up to the end of the stop sequence: the shortest greedy run whose
    // text contains it is exactly that long.
    let through = 0;
    for (let maxTokens = 1; maxTokens <= 16 && through === 0; maxTokens++) {
      const run = await generator.generate(HELLO, { maxTokens, temperature: 0 });
      if (run.text.includes(stop)) through = maxTokens;
    }
    expect(through).toBeGreaterThan(0);
    expect(stopped.stats.generatedTokens).toBe(through);
    expectConsistentTiming(stopped.stats);
  });

  it('reports maxTokens generated tokens whenever it stops there, streamed or not', async () => {
    for (const [input, seed] of [
      ['the quick brown fox', 1],
      ['hello world', 2],
      [HELLO, 3],
      [[...HELLO, { role: 'assistant', content: 'hi' }, { role: 'user', content: 'why?' }], 4],
    ] as const) {
      const options = { maxTokens: 12, temperature: 1, seed };
      const { stats } = await generator.generate(input, options);
      expect(stats.stopReason).toBe('max-tokens');
      expect(stats.generatedTokens).toBe(12);
      expectConsistentTiming(stats);
      const streamed = await generator.stream(input, options).result;
      expect(streamed.stats.generatedTokens).toBe(12);
    }
  });

  it('counts the whole raw prompt, BOS included, also when its state is reused', async () => {
    const prompt = 'hello world, how are you';
    const first = await generator.generate(prompt, { maxTokens: 4, temperature: 0 });
    // Same prompt again: the sequence still holds its tokens and evaluates only the last.
    const again = await generator.generate(prompt, { maxTokens: 4, temperature: 0 });
    expect(first.stats.promptTokens).toBe(rawPromptLength(prompt));
    expect(again.stats.promptTokens).toBe(first.stats.promptTokens);
  });

  it('counts the whole templated conversation as the prompt, turn after turn', async () => {
    const turn1: ChatMessage[] = [{ role: 'system', content: 'You are terse.' }, ...HELLO];
    const first = await generator.generate(turn1, { maxTokens: 6, temperature: 0 });
    expect(first.stats.promptTokens).toBe(await chatPromptLength(turn1));
    // The next turn shares the first one's prefix, which node-llama-cpp does not evaluate again.
    const turn2: ChatMessage[] = [
      ...turn1,
      { role: 'assistant', content: first.text },
      { role: 'user', content: 'and then?' },
    ];
    const second = await generator.generate(turn2, { maxTokens: 6, temperature: 0 });
    expect(second.stats.promptTokens).toBe(await chatPromptLength(turn2));
    expect(second.stats.generatedTokens).toBe(6);
  });
});

describe('LlamaGenerationSession prompt counts', () => {
  it('counts a raw prompt as node-llama-cpp evaluates it: start token, leading space trimmed', async () => {
    for (const prompt of ['hello world', ' hello world', 'a', 'the quick brown fox']) {
      const counted = await session.countPromptTokens?.(prompt);
      expect(counted).toBe(rawPromptLength(prompt));
      const { stats } = await generator.generate(prompt, { maxTokens: 2, temperature: 0 });
      expect(stats.promptTokens).toBe(counted);
    }
  });

  it('counts a conversation as its chat template renders it', async () => {
    const turn: ChatMessage[] = [{ role: 'system', content: 'Be brief.' }, ...HELLO];
    expect(await session.countPromptTokens?.(turn)).toBe(await chatPromptLength(turn));
  });

  it('refuses a raw prompt that leaves no room for maxTokens, counting the start token', async () => {
    const prompt = 'hello world';
    const tokens = rawPromptLength(prompt);
    // Fits exactly: prompt and answer fill the context.
    const fits = await generator.generate(prompt, { maxTokens: 512 - tokens, temperature: 0 });
    expect(fits.stats.promptTokens).toBe(tokens);
    // One more token would not fit; a count without the start token would let it through.
    const over = generator.generate(prompt, { maxTokens: 512 - tokens + 1 });
    await expect(over).rejects.toBeInstanceOf(ContextOverflowError);
    await expect(over).rejects.toMatchObject({ code: 'CONTEXT_OVERFLOW' });
  });

  it('streams the held-back text too, so the stream and the result agree', async () => {
    const plain = await generator.generate(HELLO, GREEDY);
    const stream = generator.stream(HELLO, { ...GREEDY, stop: [`${plain.text}Z`] });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk;
    const result = await stream.result;
    expect(result.text).toBe(plain.text);
    expect(streamed).toBe(result.text);
  });
});
