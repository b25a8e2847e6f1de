import { DTYPES } from '@npu-first/core';

/**
 * JSON schemas of the request bodies, checked by Fastify (ajv) before a handler runs. Fields
 * that OpenAI has and this server does not honour are refused by name rather than ignored:
 * `n: 3` answered with one choice, or `tools` dropped, would be a silent lie.
 */
const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });
const model = { type: 'string', minLength: 1, maxLength: 256 } as const;
const sampling = {
  max_tokens: nullable({ type: 'integer', minimum: 1 }),
  temperature: nullable({ type: 'number', minimum: 0, maximum: 2 }),
  top_p: nullable({ type: 'number', exclusiveMinimum: 0, maximum: 1 }),
  seed: nullable({ type: 'integer' }),
  stop: {
    anyOf: [
      { type: 'string', minLength: 1 },
      { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 4 },
      { type: 'null' },
    ],
  },
  stream: nullable({ type: 'boolean' }),
  stream_options: nullable({
    type: 'object',
    additionalProperties: false,
    properties: { include_usage: { type: 'boolean' } },
  }),
  n: nullable({ type: 'integer', const: 1 }),
  user: { type: 'string' },
} as const;

const textPart = {
  type: 'object',
  required: ['type', 'text'],
  additionalProperties: false,
  properties: { type: { const: 'text' }, text: { type: 'string' } },
} as const;

export const chatSchema = {
  type: 'object',
  required: ['model', 'messages'],
  additionalProperties: false,
  properties: {
    model,
    messages: {
      type: 'array',
      minItems: 1,
      maxItems: 4096,
      items: {
        type: 'object',
        required: ['role', 'content'],
        additionalProperties: false,
        properties: {
          role: { enum: ['system', 'developer', 'user', 'assistant'] },
          content: { anyOf: [{ type: 'string' }, { type: 'array', items: textPart }] },
          name: { type: 'string' },
        },
      },
    },
    max_completion_tokens: nullable({ type: 'integer', minimum: 1 }),
    ...sampling,
  },
} as const;

export const completionSchema = {
  type: 'object',
  required: ['model', 'prompt'],
  additionalProperties: false,
  properties: {
    model,
    prompt: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: 1 },
      ],
    },
    ...sampling,
  },
} as const;

export const embeddingSchema = {
  type: 'object',
  required: ['model', 'input'],
  additionalProperties: false,
  properties: {
    model,
    input: {
      anyOf: [
        { type: 'string', minLength: 1 },
        {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          minItems: 1,
          maxItems: 2048,
        },
      ],
    },
    encoding_format: { enum: ['float', 'base64'] },
    user: { type: 'string' },
  },
} as const;

export const graphRunSchema = {
  type: 'object',
  required: ['inputs'],
  additionalProperties: false,
  properties: {
    inputs: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        required: ['dtype', 'dims', 'data'],
        additionalProperties: false,
        properties: {
          dtype: { enum: [...DTYPES] },
          dims: { type: 'array', items: { type: 'integer', minimum: 0 }, maxItems: 16 },
          data: {
            anyOf: [
              { type: 'string' },
              { type: 'array', items: { type: ['number', 'string', 'boolean'] } },
            ],
          },
        },
      },
    },
    outputs: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    output_encoding: { enum: ['json', 'base64'] },
  },
} as const;

/** What the `anyOf` fields accept, for the error message ajv cannot phrase. */
export const FORMS: Readonly<Record<string, string>> = {
  content: 'a string or an array of { "type": "text", "text": string } parts',
  stop: 'a string or an array of at most 4 non-empty strings',
  prompt: 'a non-empty string (or an array holding one)',
  input: 'a non-empty string or an array of 1 to 2048 non-empty strings',
  data: 'an array of numbers (strings for dtype "string") or a base64 string of the raw little-endian bytes',
};
