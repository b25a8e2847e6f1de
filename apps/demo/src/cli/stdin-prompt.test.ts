import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type PromptSource, readPromptFrom } from './stdin-prompt.js';

const piped = (...chunks: string[]): PromptSource =>
  Readable.from(chunks.map((c) => Buffer.from(c)));

describe('readPromptFrom (--prompt -)', () => {
  it('reads all of stdin, trailing newlines trimmed', async () => {
    expect(await readPromptFrom(piped('once upon\n', 'a time\n\n'))).toBe('once upon\na time');
  });

  it('refuses a terminal on stdin instead of waiting, naming --prompt', async () => {
    const tty = Object.assign(Readable.from([]), { isTTY: true });
    await expect(readPromptFrom(tty)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      option: '--prompt',
      message: expect.stringContaining('terminal'),
    });
  });

  it('refuses empty stdin, naming --prompt', async () => {
    await expect(readPromptFrom(piped(' \n'))).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      option: '--prompt',
      message: expect.stringContaining('empty'),
    });
    await expect(readPromptFrom(piped())).rejects.toMatchObject({ option: '--prompt' });
  });
});
