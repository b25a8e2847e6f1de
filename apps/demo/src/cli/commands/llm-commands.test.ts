import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { writeTinyLlamaGguf } from '@npu-first/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import type { Io } from '../output.js';
import { chatCommand } from './chat.js';
import { generateCommand } from './generate.js';

let dir: string;
let gguf: string;

function capture(): { io: Io; text: () => string } {
  let out = '';
  const add = (t: string) => (out += stripVTControlCharacters(t));
  return {
    io: { out: (t) => add(`${t}\n`), write: add, err: (t) => add(`${t}\n`), interactive: false },
    text: () => out,
  };
}

async function cli(...args: string[]) {
  const { io, text } = capture();
  const code = await main(['node', 'npu-first', ...args], io);
  return { code, out: text(), json: args.includes('--json') ? JSON.parse(text()) : undefined };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npu-first-llm-cli-'));
  gguf = await writeTinyLlamaGguf(dir);
});

describe('npu-first generate', () => {
  it('--json prints text, stats and a placement ending on the CPU; the same command gives the same text', async () => {
    const args = [
      'generate',
      gguf,
      '--prompt',
      'hello',
      '--max-tokens',
      '16',
      '--seed',
      '1',
      '--json',
    ];
    const first = await cli(...args);
    expect(first.code).toBe(0);
    const { text, stats, placement } = first.json;
    expect(text.length).toBeGreaterThan(0);
    expect(stats).toMatchObject({ generatedTokens: 16, stopReason: 'max-tokens' });
    for (const key of [
      'promptTokens',
      'generatedTokens',
      'timeToFirstTokenMs',
      'tokensPerSecond',
    ]) {
      expect(typeof stats[key]).toBe('number');
    }
    expect(placement.backend).toBe('cpu-llamacpp');
    const attempts: { backend: string; deviceKind: string; outcome: string }[] = placement.attempts;
    // The NPU backends take ONNX only: rejected for this GGUF model, with that reason.
    expect(attempts.filter((a) => a.deviceKind === 'npu').map((a) => a.outcome)).toEqual([
      'rejected',
      'rejected',
    ]);
    // The GPU backend is installed: each llama.cpp GPU build is tried and passed over.
    const gpu = attempts.filter((a) => a.deviceKind === 'gpu' && a.outcome === 'unavailable');
    expect(gpu.map((a) => a.backend)).toEqual([
      'gpu-llamacpp-metal',
      'gpu-llamacpp-cuda',
      'gpu-llamacpp-vulkan',
    ]);
    expect(attempts.find((a) => a.outcome === 'selected')).toMatchObject({
      backend: 'cpu-llamacpp',
      deviceKind: 'cpu',
    });
    expect((await cli(...args)).json.text).toBe(text);
  });

  it('streams text to the terminal, then stats and the placement', async () => {
    const { code, out } = await cli(
      'generate',
      gguf,
      '--prompt',
      'hello',
      '--max-tokens',
      '8',
      '--temperature',
      '0.8',
      '--seed',
      '2',
    );
    expect(code).toBe(0);
    expect(out).toMatch(/Stats +\d+ prompt tokens · 8 generated \(max-tokens\)/);
    expect(out).toMatch(/cpu-llamacpp +selected/);
  });

  it('turns bad input into typed errors', async () => {
    const run = async (...args: string[]) => (await cli('generate', ...args, '--json')).json.error;
    expect(await run(gguf, '--prompt', '')).toMatchObject({
      code: 'INVALID_INPUT',
      input: 'prompt',
    });
    expect(await run(gguf)).toMatchObject({ code: 'INVALID_OPTION', option: '--prompt' });
    // The library names its field (maxTokens); the CLI names the flag a person typed.
    expect(await run(gguf, '--prompt', 'hi', '--max-tokens', '0')).toMatchObject({
      code: 'INVALID_OPTION',
      option: '--max-tokens',
      message: 'Invalid option --max-tokens: expected a whole number ≥ 1, got 0',
    });
    expect(await run(gguf, '--prompt', 'hi', '--max-tokens', 'many')).toMatchObject({
      code: 'INVALID_OPTION',
      option: '--max-tokens',
    });
    expect(
      await run(
        gguf,
        '--prompt',
        'hello '.repeat(300),
        '--context-size',
        '256',
        '--max-tokens',
        '8',
      ),
    ).toMatchObject({
      code: 'CONTEXT_OVERFLOW',
      contextSize: 256,
    });
    const fake = join(dir, 'fake.gguf');
    await writeFile(fake, 'not a model');
    expect(await run(fake, '--prompt', 'hi')).toMatchObject({ code: 'MODEL_CORRUPT' });
    const onnx = join(dir, 'x.onnx');
    await writeFile(onnx, new Uint8Array([0x08, 0x07, 0x3a, 0x00]));
    expect(await run(onnx, '--prompt', 'hi')).toMatchObject({
      code: 'MODEL_FORMAT_UNSUPPORTED',
      reason:
        'a text-generation model was asked for, but this is an ONNX graph model; use `npu-first run <model>`',
    });
  });

  it('fails clearly when a model URL cannot be downloaded', async () => {
    const { code, json } = await cli(
      'generate',
      'https://models.invalid/m.gguf',
      '--prompt',
      'hi',
      '--models-dir',
      dir,
      '--json',
    );
    expect(code).toBe(1);
    expect(json.error).toMatchObject({
      code: 'MODEL_DOWNLOAD_FAILED',
      uri: 'https://models.invalid/m.gguf',
    });
    expect(
      (await cli('pull', 'hf:nobody/nothing', '--models-dir', dir, '--json')).json.error.code,
    ).toBe('MODEL_DOWNLOAD_FAILED');
  });
});

describe('npu-first generate --prompt -', () => {
  it('reads the prompt from stdin: the same text as the prompt given as a flag', async () => {
    const flags = { stop: [], maxTokens: '8', seed: '1', json: true };
    const piped = capture();
    const code = await generateCommand(
      piped.io,
      gguf,
      { ...flags, prompt: '-' },
      Readable.from([Buffer.from('hello\n')]),
    );
    expect(code).toBe(0);
    const fromStdin = JSON.parse(piped.text());
    const given = await cli(
      'generate',
      gguf,
      '--prompt',
      'hello',
      '--max-tokens',
      '8',
      '--seed',
      '1',
      '--json',
    );
    expect(fromStdin.text).toBe(given.json.text);
    expect(fromStdin.stats.promptTokens).toBe(given.json.stats.promptTokens);
  });
});

describe('npu-first chat', () => {
  it('answers each turn with the history, resets, and exits', async () => {
    const { io, text } = capture();
    const input = Readable.from(['hello\n', 'and again\n', '/reset\n', 'fresh start\n', '/exit\n']);
    const code = await chatCommand(
      io,
      gguf,
      { stop: [], maxTokens: '6', seed: '1', temperature: '0.7' },
      input,
    );
    expect(code).toBe(0);
    const out = text();
    expect(out).toContain('tiny-llama.gguf on cpu-llamacpp');
    expect(out.match(/model › /g)).toHaveLength(3);
    expect(out.match(/\(6 tokens · [\d.]+ tokens\/s · max-tokens\)/g)).toHaveLength(3);
    expect(out).toContain('(conversation cleared)');
  });

  it('drops the oldest turns when the history outgrows a small context, and every turn answers', async () => {
    const { io, text } = capture();
    const turns = Array.from(
      { length: 12 },
      (_, i) => `turn ${i}: tell me something about the weather and the sea today\n`,
    );
    const input = Readable.from([...turns, '/exit\n']);
    // No --max-tokens: the reply budget defaults to a share of the (small) context.
    const code = await chatCommand(
      io,
      gguf,
      {
        stop: [],
        contextSize: '128',
        seed: '1',
        temperature: '0.7',
        system: 'You are a terse assistant.',
      },
      input,
    );
    expect(code).toBe(0);
    const out = text();
    // llama.cpp may round the context up; the note names the one in use.
    const context = Number(/context (\d+) tokens/.exec(out)?.[1]);
    expect(context).toBeLessThanOrEqual(512);
    expect(out).not.toContain('error');
    expect(out.match(/model › /g)).toHaveLength(12);
    expect(out.match(/\(\d+ tokens · [\d.]+ tokens\/s · [a-z-]+\)/g)).toHaveLength(12);
    expect(out).toMatch(
      new RegExp(
        `\\(dropped the (oldest turn|\\d+ oldest turns) to fit the ${context}-token context\\)`,
      ),
    );
  });

  it('refuses a --max-tokens that leaves no room for the conversation, as a usage error', async () => {
    const { io } = capture();
    const run = chatCommand(
      io,
      gguf,
      { stop: [], contextSize: '128', maxTokens: '100000' },
      Readable.from(['/exit\n']),
    );
    await expect(run).rejects.toMatchObject({ code: 'INVALID_OPTION', option: '--max-tokens' });
  });
});
