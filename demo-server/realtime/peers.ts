/**
 * The other processes of a scaled-out talk (REDIS_URL): what this process
 * tells them, and what it hears from them. Exists only with the Redis
 * adapter (the in-memory adapter has no server-side events).
 *
 * Messages only say *what* changed; the receiver reads the state from
 * storage, so a late or reordered message cannot leave a process stale.
 * They go over Redis pub/sub and are lost while Redis is down, which is why
 * a process also catches up when its Redis connection comes back.
 */
import crypto from 'node:crypto';
import type { PaceDirection } from '../../src/shared/protocol.js';
import { PaceVotes } from './pace-votes.js';
import type { LiveServer } from './live-server.js';

/** A process that has not reported its audience for this long is gone (killed, or cut off from Redis). */
export const PEER_AUDIENCE_TTL_MS = 3500;

export interface PeerListener {
  controlChanged(sessionId: number): void;
  sessionChanged(sessionId: number): void;
  paceVote(clientId: string, dir: PaceDirection | null, at: number): void;
  /** A process went silent (killed, or cut off from Redis), last heard at `lastHeard`: once per silence. */
  peerGone(lastHeard: number): void;
}

export class Peers {
  readonly id = crypto.randomUUID();
  private readonly audiences = new Map<string, { n: number; presenters: number; heardAt: number }>();

  constructor(
    private readonly io: LiveServer,
    private readonly listener: PeerListener,
    private readonly now: () => number,
    /** False while Redis is unreachable: messages are dropped, not queued (the catch-up covers them). */
    private readonly connected: () => boolean,
  ) {
    io.on('peer:control', (sessionId) => listener.controlChanged(sessionId));
    io.on('peer:session', (sessionId) => listener.sessionChanged(sessionId));
    io.on('peer:pace', ({ clientId, dir, at }) => listener.paceVote(clientId, dir, at));
    io.on('peer:audience', ({ peer, n, presenters }) => {
      if (peer !== this.id) this.audiences.set(peer, { n, presenters, heardAt: this.now() });
    });
  }

  private send(send: () => void): void {
    if (this.connected()) send();
  }

  controlChanged(sessionId: number): void {
    this.send(() => this.io.serverSideEmit('peer:control', sessionId));
  }

  sessionChanged(sessionId: number): void {
    this.send(() => this.io.serverSideEmit('peer:session', sessionId));
  }

  paceVote(clientId: string, dir: PaceDirection | null, at: number): void {
    this.send(() => this.io.serverSideEmit('peer:pace', { clientId, dir, at }));
  }

  /** Reports this process's counts (every second, so silence means gone) and returns the room's audience. */
  reportAudience(own: number, presenters: number): number {
    this.send(() => this.io.serverSideEmit('peer:audience', { peer: this.id, n: own, presenters }));
    return this.totalAudience(own);
  }

  totalAudience(own: number): number {
    return own + this.sumOfOthers((report) => report.n);
  }

  /** Presenter screens connected to the other processes. */
  presentersElsewhere(): number {
    return this.sumOfOthers((report) => report.presenters);
  }

  /**
   * Checked at least once a second (reportAudience). While this process is
   * cut off from Redis itself, every peer falls silent and none is known gone.
   */
  private forget(peer: string, lastHeard: number): void {
    this.audiences.delete(peer);
    if (this.connected()) this.listener.peerGone(lastHeard);
  }

  private sumOfOthers(field: (report: { n: number; presenters: number }) => number): number {
    let total = 0;
    const now = this.now();
    for (const [peer, report] of this.audiences) {
      if (now - report.heardAt > PEER_AUDIENCE_TTL_MS) this.forget(peer, report.heardAt);
      else total += field(report);
    }
    return total;
  }
}

/**
 * Pace votes that every process holds: a vote cast here is applied here and
 * sent to the others, so whichever process serves the presenter sees the
 * whole room.
 */
export class SharedPaceVotes extends PaceVotes {
  constructor(private readonly publish: (clientId: string, dir: PaceDirection | null, at: number) => void) {
    super();
  }

  override set(clientId: string, dir: PaceDirection | null, now: number): void {
    super.set(clientId, dir, now);
    this.publish(clientId, dir, now);
  }

  /** A vote cast on another process. */
  receive(clientId: string, dir: PaceDirection | null, at: number): void {
    super.set(clientId, dir, at);
  }
}
