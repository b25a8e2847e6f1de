import { InvalidOptionError } from '@npu-first/core';

/** A readable stream that may be a terminal (as `process.stdin` is). */
export type PromptSource = NodeJS.ReadableStream & { readonly isTTY?: boolean };

/**
 * `--prompt -`: the whole of stdin, trailing newlines trimmed. A terminal on stdin or nothing
 * piped in is a usage mistake (`INVALID_OPTION`, option `--prompt`), not a wait for input.
 */
export async function readPromptFrom(source: PromptSource): Promise<string> {
  if (source.isTTY) {
    throw new InvalidOptionError(
      '--prompt',
      '"-" reads the prompt from stdin, which is a terminal: pipe the text in (echo "…" | npu-first generate <model> --prompt -)',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of source) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\s+$/, '');
  if (text.trim() === '')
    throw new InvalidOptionError('--prompt', '"-" reads the prompt from stdin, which was empty');
  return text;
}
