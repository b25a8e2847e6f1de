import type { ChatMessage } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import { chatReplyBudget, dropOldestTurn, droppedNote } from './chat-history.js';

const sys: ChatMessage = { role: 'system', content: 'be brief' };
const user = (content: string): ChatMessage => ({ role: 'user', content });
const model = (content: string): ChatMessage => ({ role: 'assistant', content });

describe('dropOldestTurn', () => {
  it('drops the first user turn and its reply, keeping the system prompt', () => {
    const history = [sys, user('a'), model('A'), user('b'), model('B'), user('c')];
    expect(dropOldestTurn(history)).toEqual([sys, user('b'), model('B'), user('c')]);
    expect(dropOldestTurn([sys, user('b'), model('B'), user('c')])).toEqual([sys, user('c')]);
  });

  it('never drops the system prompt or the turn being asked', () => {
    expect(dropOldestTurn([sys, user('c')])).toBeUndefined();
    expect(dropOldestTurn([user('c')])).toBeUndefined();
  });

  it('works without a system prompt', () => {
    expect(dropOldestTurn([user('a'), model('A'), user('c')])).toEqual([user('c')]);
  });
});

describe('chatReplyBudget', () => {
  it('is a quarter of the context, at most 256 and at least 1', () => {
    expect(chatReplyBudget(512)).toBe(128);
    expect(chatReplyBudget(4096)).toBe(256);
    expect(chatReplyBudget(2)).toBe(1);
  });
});

describe('droppedNote', () => {
  it('names the count and the context', () => {
    expect(droppedNote(1, 512)).toBe('(dropped the oldest turn to fit the 512-token context)');
    expect(droppedNote(2, 512)).toBe('(dropped the 2 oldest turns to fit the 512-token context)');
  });
});
