/**
 * Whose votes count and where they come from: an identity beyond its
 * address's budget is refused (identity-budget.ts), and presenters hear of
 * an address holding an unusual share of a question's or poll's votes
 * (vote-shares.ts).
 */
import type { SocketData, UnusualVotes } from '../../src/shared/protocol.js';
import type { SessionRecord } from '../storage/storage.js';
import type { IdentityBudget } from './identity-budget.js';
import { PRESENTER_ROOM, type LiveServer, type LiveSocket } from './live-server.js';
import type { RoomAudience } from './room-audience.js';
import { VoteShares } from './vote-shares.js';
import { refusalError } from './wire-error.js';

export interface RoomVotesDeps {
  io: LiveServer;
  identities: IdentityBudget;
  audience: RoomAudience;
  /** The session on the screens, if any. */
  session: () => SessionRecord | null;
  sessionId: () => number;
}

export class RoomVotes {
  private readonly shares = new VoteShares();
  private announcedUnusual = '[]';

  constructor(private readonly deps: RoomVotesDeps) {}

  /**
   * Refuses the vote of an identity beyond its address's budget for this
   * session (vote stuffing with invented clientIds); presenters always count.
   */
  async assertCounts(socket: LiveSocket): Promise<void> {
    const { role, clientId, ip } = socket.data;
    if (role === 'presenter' || (await this.deps.identities.counts(this.deps.sessionId(), clientId, ip))) return;
    throw refusalError('network_votes', 'too many phones from your network are voting in this session: yours cannot count');
  }

  /** Where the votes on each question and poll come from (vote-shares.ts). */
  record(data: SocketData, target: `question:${number}` | `poll:${string}`, voted: boolean): void {
    const session = this.deps.session();
    if (data.role === 'presenter' || !session) return;
    this.shares.record(session.id, target, data.clientId, data.ip, voted);
  }

  unusual(): UnusualVotes[] {
    const { audience } = this.deps;
    return this.shares.unusual((ip) => audience.phonesFrom(ip), audience.count);
  }

  /** Presenters hear about unusual vote shares when they change. */
  announceUnusual(): void {
    const targets = this.unusual();
    const json = JSON.stringify(targets);
    if (json === this.announcedUnusual) return;
    this.announcedUnusual = json;
    this.deps.io.local.to(PRESENTER_ROOM).emit('votes:unusual', { targets });
  }
}
