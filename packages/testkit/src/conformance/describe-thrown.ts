import { inspect } from 'node:util';

/** What was thrown, in one line: `TypeError: boom`, `CorruptModelError [MODEL_CORRUPT]: …`. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const name =
      error.constructor?.name && error.constructor.name !== 'Error'
        ? error.constructor.name
        : error.name;
    return `${name}${code !== undefined ? ` [${String(code)}]` : ''}: ${error.message}`;
  }
  return `a thrown ${error === null ? 'null' : typeof error}: ${describeValue(error)}`;
}

/** A value, short enough for a failure message. */
export function describeValue(value: unknown): string {
  const text = inspect(value, {
    depth: 2,
    breakLength: Number.POSITIVE_INFINITY,
    maxArrayLength: 4,
  });
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
