/**
 * Which network the votes on each question and poll come from, so the
 * presenter sees when one address holds an unusual share of them. The
 * identity budget bounds how many identities one address may vote with;
 * within it, a script can still tilt one question or poll. An address's
 * share of a target's votes is unusual when it is at least half of them and
 * more than twice its share of the phones in the room, so a venue NAT that
 * carries the whole room is never flagged. Addresses stay on this server:
 * the presenter sees shares, not addresses.
 *
 * In memory, per process, for the open session (a restart or a new session
 * starts again); scaled out, each process judges the votes cast through it.
 */
import type { UnusualVotes } from '../../src/shared/protocol.js';

/** Fewer votes than this say nothing about anyone. */
export const UNUSUAL_MIN_VOTES = 5;
/** An address holding at least this share of a target's votes ... */
export const UNUSUAL_SHARE = 0.5;
/** ... and more than this many times its share of the room's phones. */
export const UNUSUAL_OVER_ROOM = 2;

type Target = `question:${number}` | `poll:${string}`;

export class VoteShares {
  private sessionId = -1;
  /** Per target: each voter's address. */
  private readonly voters = new Map<Target, Map<string, string>>();

  /** One voter's vote on a target: cast (or moved) or taken back. */
  record(sessionId: number, target: Target, clientId: string, ip: string, voted: boolean): void {
    if (sessionId !== this.sessionId) {
      this.sessionId = sessionId;
      this.voters.clear();
    }
    let voters = this.voters.get(target);
    if (!voters) this.voters.set(target, (voters = new Map()));
    if (voted) voters.set(clientId, ip);
    else voters.delete(clientId);
  }

  /** The targets where one address holds an unusual share, given how many phones each address has in the room. */
  unusual(phonesOn: (ip: string) => number, phones: number): UnusualVotes[] {
    const found: UnusualVotes[] = [];
    for (const [target, voters] of this.voters) {
      const total = voters.size;
      if (total < UNUSUAL_MIN_VOTES) continue;
      const perAddress = new Map<string, number>();
      for (const ip of voters.values()) perAddress.set(ip, (perAddress.get(ip) ?? 0) + 1);
      const [ip, fromOne] = [...perAddress].reduce((top, entry) => (entry[1] > top[1] ? entry : top));
      const share = fromOne / total;
      const roomShare = phones > 0 ? phonesOn(ip) / phones : 0;
      if (share < UNUSUAL_SHARE || share <= UNUSUAL_OVER_ROOM * roomShare) continue;
      const [kind, id] = target.split(/:(.*)/s) as ['question' | 'poll', string];
      found.push({ kind, id, fromOneAddress: fromOne, total, addresses: perAddress.size });
    }
    return found;
  }
}
