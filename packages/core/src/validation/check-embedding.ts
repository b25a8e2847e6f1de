import { InvalidInputError, InvalidOptionError } from '../errors/errors.js';
import type { EmbedOptions } from '../spec/text-generation.js';
import { didYouMean } from './did-you-mean.js';

const OPTION_KEYS = ['signal'];

/**
 * Validates what `embed()` takes: a non-empty string, or a non-empty array of them. Returns the
 * texts as an array. An empty text is refused (`input` or `input[i]`): it has no tokens to pool,
 * and OpenAI's embeddings endpoint refuses it too. Whitespace is text, and is kept.
 */
export function checkEmbeddingInput(input: string | readonly string[]): readonly string[] {
  if (typeof input === 'string') {
    if (input === '') throw new InvalidInputError('input', 'a non-empty string', 'an empty string');
    return [input];
  }
  if (!Array.isArray(input))
    throw new InvalidInputError('input', 'a string or an array of strings', describe(input));
  if (input.length === 0)
    throw new InvalidInputError('input', 'at least one string', 'an empty array');
  input.forEach((text: unknown, i) => {
    if (typeof text !== 'string' || text === '')
      throw new InvalidInputError(`input[${i}]`, 'a non-empty string', describe(text));
  });
  return input;
}

/** Validates `embed()` options; returns the caller's signal, if any. */
export function checkEmbedOptions(options: EmbedOptions): AbortSignal | undefined {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('options', 'expected an object');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key))
      throw new InvalidOptionError(
        key,
        `unknown embed option (known: ${OPTION_KEYS.join(', ')})${didYouMean(key, OPTION_KEYS)}`,
      );
  }
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new InvalidOptionError('signal', 'expected an AbortSignal');
  return signal;
}

function describe(value: unknown): string {
  if (value === '') return 'an empty string';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
