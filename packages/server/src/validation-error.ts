import { type ApiError, invalidRequest } from './api-error.js';
import { FORMS } from './schemas.js';

/** The part of an ajv error this formatter reads (Fastify's `error.validation` items). */
export interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

/**
 * A schema failure as OpenAI clients expect it: 400, `param` naming the field the way a
 * person writes it (`messages[0].role`), a message saying what it must be.
 */
export function validationError(errors: readonly SchemaError[]): ApiError {
  // With allErrors off ajv stops at the first failure, but an `anyOf` also reports each of its
  // branches first; the `anyOf` itself is the one that speaks for the field.
  const error = errors.find((e) => e.keyword === 'anyOf') ?? errors[0];
  if (!error) return invalidRequest('The request body is invalid', null);
  const path = fieldPath(error.instancePath);
  const params = error.params;
  switch (error.keyword) {
    case 'required': {
      const field = join(path, String(params.missingProperty));
      return invalidRequest(`Missing required field '${field}'`, field, 'missing_required_field');
    }
    case 'additionalProperties': {
      const field = join(path, String(params.additionalProperty));
      return invalidRequest(`Unknown or unsupported field '${field}'`, field, 'unsupported_field');
    }
    case 'anyOf': {
      const last =
        path
          .replace(/\[\d+\]$/, '')
          .split('.')
          .pop() ?? '';
      const form = FORMS[last];
      if (form) return invalidRequest(`'${path}' must be ${form}`, path);
      // A nullable field: its first branch says what was wrong.
      const branch = errors.find(
        (e) => e !== error && e.instancePath === error.instancePath && e.keyword !== 'type',
      );
      const type = errors.find((e) => e !== error && e.keyword === 'type');
      const what =
        branch?.keyword === 'const'
          ? `must be ${JSON.stringify(branch.params.allowedValue)}`
          : (branch?.message ?? type?.message ?? 'is invalid');
      return invalidRequest(`'${path}' ${what} (or null)`, path);
    }
    case 'enum':
      return invalidRequest(
        `'${path}' must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        path,
      );
    case 'const':
      return invalidRequest(`'${path}' must be ${JSON.stringify(params.allowedValue)}`, path);
    default:
      return invalidRequest(`'${path || 'body'}' ${error.message ?? 'is invalid'}`, path || null);
  }
}

/** `/messages/0/role` → `messages[0].role`. */
export function fieldPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

const join = (path: string, field: string) => (path === '' ? field : `${path}.${field}`);
