/**
 * The room's "slower" / "faster" votes: one per person (clientId), each
 * counted for a minute after it was cast, kept in memory only (a vote is a
 * passing mood, not a record worth a restart).
 */
import { PACE_VOTE_TTL_MS } from '../../src/shared/limits.js';
import type { PaceBalance, PaceDirection } from '../../src/shared/protocol.js';

export class PaceVotes {
  private readonly votes = new Map<string, { dir: PaceDirection; at: number }>();

  constructor(private readonly ttlMs = PACE_VOTE_TTL_MS) {}

  /** Casting the same vote again restarts its minute; null takes it back. */
  set(clientId: string, dir: PaceDirection | null, now: number): void {
    if (dir === null) this.votes.delete(clientId);
    else this.votes.set(clientId, { dir, at: now });
  }

  /** Counts the live votes and forgets the expired ones, which keeps the map bounded. */
  balance(now: number): PaceBalance {
    const balance: PaceBalance = { slower: 0, faster: 0 };
    for (const [clientId, vote] of this.votes) {
      if (now - vote.at >= this.ttlMs) this.votes.delete(clientId);
      else balance[vote.dir]++;
    }
    return balance;
  }

  clear(): void {
    this.votes.clear();
  }
}
