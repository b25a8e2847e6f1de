import { describe, expect, it } from 'vitest';
import { NpuFirstError } from '../errors/base.js';
import { checkGenerateOptions, checkGenerationInput } from './check-generation.js';

const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return NpuFirstError.isInstance(error) ? error.toJSON() : error;
  }
  return undefined;
};

describe('checkGenerationInput', () => {
  it('accepts a prompt and a conversation ending with the user', () => {
    expect(errorOf(() => checkGenerationInput('hello'))).toBeUndefined();
    expect(
      errorOf(() =>
        checkGenerationInput([
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'hi' },
        ]),
      ),
    ).toBeUndefined();
  });

  it('refuses empty prompts and malformed conversations with INVALID_INPUT', () => {
    expect(errorOf(() => checkGenerationInput('   '))).toMatchObject({
      code: 'INVALID_INPUT',
      input: 'prompt',
    });
    expect(errorOf(() => checkGenerationInput([]))).toMatchObject({
      code: 'INVALID_INPUT',
      input: 'messages',
    });
    expect(
      errorOf(() => checkGenerationInput([{ role: 'bot', content: 'x' } as never])),
    ).toMatchObject({ input: 'messages[0]' });
    expect(
      errorOf(() =>
        checkGenerationInput([
          { role: 'user', content: 'q' },
          { role: 'assistant', content: 'a' },
        ]),
      ),
    ).toMatchObject({ input: 'messages[1]' });
  });
});

describe('checkGenerateOptions', () => {
  it('fills defaults bounded by the context', () => {
    expect(checkGenerateOptions({}, 4096)).toMatchObject({
      maxTokens: 256,
      temperature: 0,
      stop: [],
    });
    expect(checkGenerateOptions({}, 100).maxTokens).toBe(100);
  });

  it('refuses bad values and unknown keys with INVALID_OPTION naming the option', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ maxTokens: 0 }, 'maxTokens'],
      [{ maxTokens: -5 }, 'maxTokens'],
      [{ maxTokens: 1.5 }, 'maxTokens'],
      [{ maxTokens: 1_000_000 }, 'maxTokens'],
      [{ temperature: -1 }, 'temperature'],
      [{ topP: 0 }, 'topP'],
      [{ seed: -1 }, 'seed'],
      [{ stop: [''] }, 'stop'],
      [{ signal: {} }, 'signal'],
      [{ max_tokens: 5 }, 'max_tokens'],
    ];
    for (const [options, option] of cases) {
      expect(
        errorOf(() => checkGenerateOptions(options, 512)),
        option,
      ).toMatchObject({ code: 'INVALID_OPTION', option });
    }
  });
});
