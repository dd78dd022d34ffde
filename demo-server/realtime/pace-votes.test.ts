import { describe, expect, it } from 'vitest';
import { PaceVotes } from './pace-votes.js';

describe('PaceVotes', () => {
  it('counts one vote per person; a second vote replaces the first', () => {
    const votes = new PaceVotes();
    votes.set('phone-a', 'slower', 0);
    votes.set('phone-a', 'faster', 10);
    votes.set('phone-b', 'faster', 20);
    expect(votes.balance(30)).toEqual({ slower: 0, faster: 2 });
  });

  it('takes a vote back with null', () => {
    const votes = new PaceVotes();
    votes.set('phone-a', 'slower', 0);
    votes.set('phone-a', null, 5);
    expect(votes.balance(10)).toEqual({ slower: 0, faster: 0 });
  });

  it('forgets a vote a minute after it was cast, unless it was cast again', () => {
    const votes = new PaceVotes(60_000);
    votes.set('phone-a', 'slower', 0);
    votes.set('phone-b', 'slower', 0);
    votes.set('phone-b', 'slower', 30_000);
    expect(votes.balance(59_999)).toEqual({ slower: 2, faster: 0 });
    expect(votes.balance(60_000)).toEqual({ slower: 1, faster: 0 });
    expect(votes.balance(90_000)).toEqual({ slower: 0, faster: 0 });
  });
});
