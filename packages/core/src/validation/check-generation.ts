import { InvalidInputError, InvalidOptionError } from '../errors/errors.js';
import type { ChatMessage, GenerateOptions, GenerationInput } from '../spec/text-generation.js';

/** `maxTokens` when the caller gives none. */
export const DEFAULT_MAX_TOKENS = 256;

const OPTION_KEYS = new Set(['maxTokens', 'temperature', 'topP', 'seed', 'stop', 'signal']);
const ROLES = new Set(['system', 'user', 'assistant']);

/** Generation options with defaults applied, as backends receive them. */
export interface CheckedGenerateOptions {
  readonly maxTokens: number;
  readonly temperature: number;
  readonly topP: number | undefined;
  readonly seed: number | undefined;
  readonly stop: readonly string[];
  readonly signal: AbortSignal | undefined;
}

/**
 * Validates a prompt or conversation: a non-empty prompt, or messages with known roles and
 * text, ending with a user turn. Throws `InvalidInputError` (input `prompt` or `messages[i]`).
 */
export function checkGenerationInput(input: GenerationInput): void {
  if (typeof input === 'string') {
    if (input.trim() === '')
      throw new InvalidInputError('prompt', 'a non-empty prompt', 'an empty string');
    return;
  }
  if (!Array.isArray(input))
    throw new InvalidInputError('prompt', 'a string or an array of chat messages', typeof input);
  if (input.length === 0)
    throw new InvalidInputError('messages', 'at least one message', 'an empty array');
  input.forEach((m: ChatMessage, i) => {
    if (
      typeof m !== 'object' ||
      m === null ||
      !ROLES.has(m.role) ||
      typeof m.content !== 'string'
    ) {
      throw new InvalidInputError(
        `messages[${i}]`,
        '{ role: "system" | "user" | "assistant", content: string }',
        JSON.stringify(m),
      );
    }
  });
  const last = input[input.length - 1] as ChatMessage;
  if (last.role !== 'user' || last.content.trim() === '') {
    throw new InvalidInputError(
      `messages[${input.length - 1}]`,
      'a last message from the user with text',
      `a ${last.role} message${last.content.trim() === '' ? ' with no text' : ''}`,
    );
  }
}

/** Validates generation options against the model's context size and fills in defaults. */
export function checkGenerateOptions(
  options: GenerateOptions,
  contextSize: number,
): CheckedGenerateOptions {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('options', 'expected an object');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key))
      throw new InvalidOptionError(
        key,
        `unknown generation option (known: ${[...OPTION_KEYS].join(', ')})`,
      );
  }
  const {
    maxTokens = Math.min(DEFAULT_MAX_TOKENS, contextSize),
    temperature = 0,
    topP,
    seed,
    stop = [],
    signal,
  } = options;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new InvalidOptionError(
      'maxTokens',
      `expected a whole number ≥ 1, got ${String(maxTokens)}`,
    );
  }
  if (maxTokens > contextSize) {
    throw new InvalidOptionError(
      'maxTokens',
      `${maxTokens} is more than the model's context of ${contextSize} tokens`,
    );
  }
  if (typeof temperature !== 'number' || !(temperature >= 0 && temperature <= 100)) {
    throw new InvalidOptionError(
      'temperature',
      `expected a number from 0 to 100, got ${String(temperature)}`,
    );
  }
  if (topP !== undefined && !(typeof topP === 'number' && topP > 0 && topP <= 1)) {
    throw new InvalidOptionError('topP', `expected a number in (0, 1], got ${String(topP)}`);
  }
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
    throw new InvalidOptionError(
      'seed',
      `expected a whole number from 0 to 4294967295, got ${String(seed)}`,
    );
  }
  if (!Array.isArray(stop) || stop.some((s) => typeof s !== 'string' || s === '')) {
    throw new InvalidOptionError('stop', 'expected an array of non-empty strings');
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidOptionError('signal', 'expected an AbortSignal');
  }
  return { maxTokens, temperature, topP, seed, stop, signal };
}
