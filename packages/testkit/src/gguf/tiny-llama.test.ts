import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GGMLQuantizationType, gguf } from '@huggingface/gguf';
import {
  type ChatHistoryItem,
  getLlama,
  JinjaTemplateChatWrapper,
  type Llama,
  LlamaChatSession,
  LlamaCompletion,
  type LlamaContext,
  LlamaLogLevel,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyLlamaGguf, TINY_LLAMA_CHAT_TEMPLATE, writeTinyLlamaGguf } from './index.js';

let dir: string;
let modelPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tiny-llama-'));
  modelPath = await writeTinyLlamaGguf(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('buildTinyLlamaGguf', () => {
  it('is deterministic per options, small, and seed-dependent', async () => {
    const bytes = Buffer.from(buildTinyLlamaGguf());
    // Buffer#equals, not toEqual: vitest's deep equality takes seconds on ~700 kB.
    expect(bytes.equals(buildTinyLlamaGguf())).toBe(true);
    expect(bytes.equals(buildTinyLlamaGguf({ seed: 2 }))).toBe(false);
    expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
    expect((await stat(modelPath)).size).toBe(bytes.length);
  });

  it('parses back with @huggingface/gguf: metadata, shapes, aligned offsets', async () => {
    const options = { layers: 3, embedding: 32, heads: 4, kvHeads: 2, feedForward: 48 };
    const path = await writeTinyLlamaGguf(dir, { ...options, fileName: 'gqa.gguf' });
    const { metadata, tensorInfos, tensorDataOffset } = await gguf(path, { allowLocalFile: true });
    const meta = metadata as Record<string, unknown>;
    expect(meta).toMatchObject({
      version: 3,
      tensor_count: BigInt(tensorInfos.length),
      'general.architecture': 'llama',
      'general.alignment': 32,
      'llama.context_length': 512,
      'llama.embedding_length': 32,
      'llama.block_count': 3,
      'llama.feed_forward_length': 48,
      'llama.attention.head_count': 4,
      'llama.attention.head_count_kv': 2,
      'llama.rope.dimension_count': 8,
      'tokenizer.ggml.model': 'llama',
      'tokenizer.ggml.bos_token_id': 1,
      'tokenizer.ggml.eos_token_id': 2,
      'tokenizer.ggml.unknown_token_id': 0,
      'tokenizer.ggml.add_bos_token': true,
      'tokenizer.chat_template': TINY_LLAMA_CHAT_TEMPLATE,
    });
    const tokens = meta['tokenizer.ggml.tokens'] as string[];
    expect(tokens.slice(0, 4)).toEqual(['<unk>', '<s>', '</s>', '<0x00>']);
    expect(tokens[258]).toBe('<0xFF>');
    expect(tokens).toContain('\u2581hello');
    expect(meta['tokenizer.ggml.token_type']).toHaveLength(tokens.length);
    expect(meta['tokenizer.ggml.scores']).toHaveLength(tokens.length);

    const shapes = Object.fromEntries(tensorInfos.map((t) => [t.name, t.shape.map(Number)]));
    expect(tensorInfos).toHaveLength(3 + 9 * 3);
    expect(shapes).toMatchObject({
      'token_embd.weight': [32, tokens.length],
      'output_norm.weight': [32],
      'output.weight': [32, tokens.length],
      'blk.2.attn_q.weight': [32, 32],
      'blk.2.attn_k.weight': [32, 16],
      'blk.2.attn_v.weight': [32, 16],
      'blk.2.attn_output.weight': [32, 32],
      'blk.2.ffn_gate.weight': [32, 48],
      'blk.2.ffn_up.weight': [32, 48],
      'blk.2.ffn_down.weight': [48, 32],
    });
    expect(tensorDataOffset % 32n).toBe(0n);
    for (const tensor of tensorInfos) {
      expect(tensor.dtype).toBe(GGMLQuantizationType.F32);
      expect(tensor.offset % 32n).toBe(0n);
    }
    const last = tensorInfos.at(-1);
    const lastBytes = 4n * (last?.shape.reduce((a, b) => a * b, 1n) ?? 0n);
    expect(BigInt((await stat(path)).size)).toBe(
      tensorDataOffset + (last?.offset ?? 0n) + lastBytes,
    );
  });

  it('rejects shapes llama.cpp cannot run', () => {
    expect(() => buildTinyLlamaGguf({ embedding: 60, heads: 8 })).toThrow(RangeError);
    expect(() => buildTinyLlamaGguf({ heads: 4, kvHeads: 3 })).toThrow(RangeError);
    expect(() => buildTinyLlamaGguf({ layers: 0 })).toThrow(RangeError);
  });
});

describe('tiny llama in node-llama-cpp (real llama.cpp, CPU)', () => {
  let llama: Llama;
  let model: LlamaModel;
  let context: LlamaContext;

  beforeAll(async () => {
    llama = await getLlama({
      gpu: false,
      build: 'never',
      progressLogs: false,
      logLevel: LlamaLogLevel.error,
    });
    model = await llama.loadModel({ modelPath });
    // The default thread count is pathologically slow on small machines; one thread is plenty.
    context = await model.createContext({ contextSize: 256, sequences: 2, threads: 1 });
  });

  afterAll(async () => {
    await context?.dispose();
    await model?.dispose();
    await llama?.dispose();
  });

  it('loads with the llama vocabulary and template', () => {
    expect(model.fileInfo.metadata.general.architecture).toBe('llama');
    expect(model.tokens.bos).toBe(1);
    expect(model.tokens.eos).toBe(2);
    expect(model.fileInfo.metadata.tokenizer.chat_template).toBe(TINY_LLAMA_CHAT_TEMPLATE);
  });

  it('round-trips text through the tokenizer, with byte fallback', () => {
    const tokens = model.tokenize('hello world');
    expect(tokens).toHaveLength(2);
    expect(model.detokenize(tokens)).toBe('hello world');
    const accented = model.tokenize('héllo wörld');
    expect(accented.length).toBeGreaterThan(2);
    expect(model.detokenize(accented)).toBe('héllo wörld');
    expect(model.tokenize('<|im_start|>', true)).toHaveLength(1);
  });

  it('generates exactly maxTokens tokens, reproducibly per seed', async () => {
    const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
    const generate = async (seed: number) => {
      const tokens: Token[] = [];
      const { response, metadata } = await completion.generateCompletionWithMeta('hello world', {
        maxTokens: 24,
        temperature: 1,
        seed,
        onToken: (chunk) => tokens.push(...chunk),
      });
      return { response, tokens, stopReason: metadata.stopReason };
    };
    const first = await generate(42);
    expect(first.tokens).toHaveLength(24);
    expect(first.stopReason).toBe('maxTokens');
    expect(first.response.length).toBeGreaterThan(0);
    expect(await generate(42)).toEqual(first);
    expect((await generate(43)).response).not.toBe(first.response);
    completion.dispose();
  });

  it('formats a chat with the template and answers', async () => {
    const chatHistory: ChatHistoryItem[] = [
      { type: 'system', text: 'be brief' },
      { type: 'user', text: 'hello' },
      { type: 'model', response: [] },
    ];
    const jinja = new JinjaTemplateChatWrapper({ template: TINY_LLAMA_CHAT_TEMPLATE });
    const rendered = jinja.generateContextState({ chatHistory }).contextText.toString();
    expect(rendered).toBe(
      '<|im_start|>system\nbe brief<|im_end|>\n<|im_start|>user\nhello<|im_end|>\n' +
        '<|im_start|>assistant\n',
    );
    // The session resolves its wrapper from the model's template (node-llama-cpp recognizes
    // ChatML); it formats the same way, after the BOS token the model asks for.
    const session = new LlamaChatSession({ contextSequence: context.getSequence() });
    const state = session.chatWrapper.generateContextState({ chatHistory });
    expect(state.contextText.toString().replace(/^BOS/, '')).toBe(rendered);

    const tokens: Token[] = [];
    const answer = await session.prompt('hello, who are you?', {
      maxTokens: 8,
      temperature: 1,
      seed: 7,
      onToken: (chunk) => tokens.push(...chunk),
    });
    expect(tokens).toHaveLength(8);
    expect(answer.trim().length).toBeGreaterThan(0);
    expect(session.getChatHistory().at(-1)).toMatchObject({ type: 'model' });
    session.dispose();
  });
});
