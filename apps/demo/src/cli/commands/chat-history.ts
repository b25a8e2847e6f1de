import { type ChatMessage, DEFAULT_MAX_TOKENS } from '@npu-first/core';

/**
 * The reply budget `chat` uses when `--max-tokens` is not given: a quarter of the context, at
 * most `DEFAULT_MAX_TOKENS`, so the rest is left for the conversation itself.
 */
export function chatReplyBudget(contextSize: number): number {
  return Math.max(1, Math.min(DEFAULT_MAX_TOKENS, Math.floor(contextSize / 4)));
}

/**
 * The history without its oldest turn (the first user message and the replies after it, up to
 * the next user message). System messages and the last message (the turn being asked) are never
 * dropped. `undefined` when nothing is left to drop.
 */
export function dropOldestTurn(history: readonly ChatMessage[]): ChatMessage[] | undefined {
  const last = history.length - 1;
  const start = history.findIndex((m, i) => i < last && m.role !== 'system');
  if (start === -1) return undefined;
  let end = start + 1;
  while (end < last && history[end]?.role !== 'user') end++;
  return [...history.slice(0, start), ...history.slice(end)];
}

/** The note `chat` prints after dropping turns, e.g. "(dropped the 2 oldest turns to fit …)". */
export function droppedNote(turns: number, contextSize: number): string {
  const what = turns === 1 ? 'the oldest turn' : `the ${turns} oldest turns`;
  return `(dropped ${what} to fit the ${contextSize}-token context)`;
}
