import { NpuFirstError } from '@npu-first/core';

/** OpenAI's error types; clients switch on `type` and `code`. */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'service_unavailable';

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export interface ApiErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: ApiErrorType;
    readonly param: string | null;
    readonly code: string | null;
  };
}

/** An error answered to the client as it is: a status and OpenAI's error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ApiErrorType,
    message: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
    /** Extra response headers (`Retry-After`). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): ApiErrorBody {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: this.code },
    };
  }
}

export const invalidRequest = (message: string, param: string | null, code = 'invalid_value') =>
  new ApiError(400, 'invalid_request_error', message, code, param);

export const modelNotFound = (model: string, served: readonly string[]) =>
  new ApiError(
    404,
    'invalid_request_error',
    `The model '${model}' does not exist on this server; it serves: ${served.join(', ')}`,
    'model_not_found',
    'model',
  );

/** Status per npu-first error code: the caller's mistakes are 4xx, the engine's and the machine's 5xx. */
const STATUS: Readonly<Record<string, { status: number; type: ApiErrorType }>> = {
  INVALID_INPUT: { status: 400, type: 'invalid_request_error' },
  INVALID_OPTION: { status: 400, type: 'invalid_request_error' },
  CONTEXT_OVERFLOW: { status: 400, type: 'invalid_request_error' },
  EMBEDDING_UNSUPPORTED: { status: 400, type: 'invalid_request_error' },
  MODEL_FORMAT_UNSUPPORTED: { status: 400, type: 'invalid_request_error' },
  GENERATION_ABORTED: { status: 499, type: 'invalid_request_error' },
  TIMEOUT: { status: 504, type: 'server_error' },
  ALL_BACKENDS_FAILED: { status: 503, type: 'service_unavailable' },
  MODEL_DISPOSED: { status: 503, type: 'service_unavailable' },
  STREAM_INTERRUPTED: { status: 503, type: 'service_unavailable' },
  ENGINE_CRASHED: { status: 503, type: 'service_unavailable' },
};

/**
 * Any error as the client sees it. npu-first's typed errors keep their code and message (they
 * are written for people, and carry no stack); anything else is a 500 with a generic message,
 * so no internals leak — the server logs the original.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (NpuFirstError.isInstance(error)) {
    const { status, type } = STATUS[error.code] ?? { status: 500, type: 'server_error' };
    const param = paramOf(error);
    return new ApiError(status, type, error.message, error.code.toLowerCase(), param);
  }
  return new ApiError(
    500,
    'server_error',
    'The server failed to answer this request; see its log.',
    'internal_error',
  );
}

/** Core's option names, as the request spells them. */
const PARAMS: Readonly<Record<string, string>> = {
  maxTokens: 'max_tokens',
  topP: 'top_p',
  temperature: 'temperature',
  seed: 'seed',
  stop: 'stop',
};

function paramOf(error: NpuFirstError): string | null {
  const { input, option } = error.details();
  if (typeof input === 'string') return input;
  return typeof option === 'string' ? (PARAMS[option] ?? option) : null;
}
