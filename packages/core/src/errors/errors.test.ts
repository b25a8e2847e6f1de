import { describe, expect, it } from 'vitest';
import { NpuFirstError } from './base.js';
import {
  ContextOverflowError,
  CorruptModelError,
  InvalidInputError,
  ModelNotFoundError,
} from './errors.js';

describe('errors', () => {
  it('carry a stable code, a name and their fields in toJSON()', () => {
    const error = new InvalidInputError('x', 'dtype float32', 'dtype int64');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InvalidInputError');
    expect(error.toJSON()).toEqual({
      code: 'INVALID_INPUT',
      message: 'Input "x": expected dtype float32, got dtype int64',
      input: 'x',
      expected: 'dtype float32',
      actual: 'dtype int64',
    });
  });

  it('are recognised by isInstance across copies of the package, and by code per subclass', () => {
    // An error made by "another copy": a different class carrying the same global marker.
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('npu-first.error')]: true,
      code: 'MODEL_CORRUPT',
    });
    expect(foreign instanceof NpuFirstError).toBe(false);
    expect(NpuFirstError.isInstance(foreign)).toBe(true);
    expect(CorruptModelError.isInstance(foreign)).toBe(true);
    expect(ModelNotFoundError.isInstance(foreign)).toBe(false);
    expect(NpuFirstError.isInstance(new Error('plain'))).toBe(false);
    expect(NpuFirstError.isInstance(null)).toBe(false);
  });

  it('name the text of an embedding that overflows, and keep the generation message as it was', () => {
    expect(new ContextOverflowError(602, 0, 512, { input: 'input[2]' }).toJSON()).toEqual({
      code: 'CONTEXT_OVERFLOW',
      message:
        'input[2] (602 tokens) does not fit the context of 512 tokens: shorten it, or load with a larger contextSize',
      promptTokens: 602,
      maxTokens: 0,
      contextSize: 512,
      input: 'input[2]',
    });
    expect(new ContextOverflowError(10, 5, 12).toJSON()).toEqual({
      code: 'CONTEXT_OVERFLOW',
      message:
        'The prompt (10 tokens) plus maxTokens (5) exceeds the context of 12 tokens: shorten the prompt, lower maxTokens, or load with a larger contextSize',
      promptTokens: 10,
      maxTokens: 5,
      contextSize: 12,
    });
  });
});
