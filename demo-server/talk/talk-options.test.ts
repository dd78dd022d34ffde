import { describe, expect, it } from 'vitest';
import { REACTIONS } from '../../src/shared/limits.js';
import { parseTalkOptions } from './talk-options.js';

describe('a talk’s room options (front matter)', () => {
  it('defaults to every reaction, a counted room and open questions', () => {
    expect(parseTalkOptions({}, 'talk.md')).toEqual({ reactions: [...REACTIONS], audienceCount: true, moderation: 'open' });
  });

  it('reads the reactions, the count and review mode', () => {
    expect(parseTalkOptions({ reactions: ['👏', '🤯', '👏'], 'audience-count': false, moderation: 'review' }, 'talk.md')).toEqual({
      reactions: ['👏', '🤯'],
      audienceCount: false,
      moderation: 'review',
    });
    expect(parseTalkOptions({ reactions: 'none' }, 'talk.md').reactions).toEqual([]);
    expect(parseTalkOptions({ reactions: [] }, 'talk.md').reactions).toEqual([]);
  });

  it('refuses what it does not know, naming the key', () => {
    expect(() => parseTalkOptions({ reactions: ['🍕'] }, 'talk.md')).toThrow('talk.md: unknown reaction "🍕"');
    expect(() => parseTalkOptions({ reactions: 'all' }, 'talk.md')).toThrow('reactions must be a list');
    expect(() => parseTalkOptions({ moderation: 'strict' }, 'talk.md')).toThrow('moderation must be open or review');
    expect(() => parseTalkOptions({ 'audience-count': 'no' }, 'talk.md')).toThrow('audience-count must be true or false');
  });
});
