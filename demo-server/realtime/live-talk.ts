/**
 * Which talk of the series is live on this server and its session (open,
 * or ended: phones then show its handout until the next starts).
 *
 * Switching talks, starting or ending a session and control changes
 * (control-changes.ts) run one at a time, in arrival order, in one queue.
 * Scaled out, this process follows what another one made live (catchUp).
 */
import type { Logger } from 'pino';
import { initialTalkState, type TalkState } from '../../src/shared/talk-state.js';
import type { SessionRecord, TalkStorage } from '../storage/storage.js';
import type { Talk } from '../talk/load-talk.js';
import type { RoomStage } from './event-guards.js';
import type { Peers } from './peers.js';
import { refusalError } from './wire-error.js';

export interface LiveTalkDeps {
  storage: TalkStorage;
  /** A talk of the series by id, when it loads (scaled out, another process may make a talk live). */
  findTalk: (id: string) => Talk | undefined;
  logger: Logger;
  now: () => number;
  /** The other processes, when scaled out. */
  peers: Peers | undefined;
  /** Every screen of this process gets a snapshot naming the talk and session now on the screens. */
  resendSnapshots: () => Promise<void>;
  /** Another session went on the screens: what was waiting for the old one goes with it. */
  sessionLeft: () => void;
}

export class LiveTalk {
  private live: { talk: Talk; session: SessionRecord } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Scaled out: the catch-up with another process's change still under way, if any (see caughtUp). */
  private catchingUp: Promise<void> | undefined;

  constructor(private readonly deps: LiveTalkDeps) {}

  /** The live talk; handlers only run while one is (handler.ts checks the stage first). */
  get talk(): Talk {
    if (!this.live) throw refusalError('no_live_talk', 'no talk is live');
    return this.live.talk;
  }

  get liveTalk(): Talk | null {
    return this.live?.talk ?? null;
  }

  /** The session on the room's screens: open, or ended (its handout). */
  get sessionId(): number {
    if (!this.live) throw refusalError('no_live_talk', 'no talk is live');
    return this.live.session.id;
  }

  get session(): SessionRecord | null {
    return this.live?.session ?? null;
  }

  get stage(): RoomStage {
    if (!this.live) return 'idle';
    return this.live.session.endedAt === null ? 'live' : 'ended';
  }

  get control(): TalkState {
    return this.live?.session.control ?? initialTalkState;
  }

  /** Whether new questions wait for approval: the presenter's choice, else the talk's front matter. */
  reviewIn(state: TalkState): boolean {
    return state.review ?? this.live?.talk.options.moderation === 'review';
  }

  get review(): boolean {
    return this.reviewIn(this.control);
  }

  /** Replaces the session record of the live talk (after a write, or what another process wrote). */
  setSession(session: SessionRecord): void {
    if (this.live) this.live = { ...this.live, session };
  }

  /**
   * Runs `step` in the queue: talk switches and session changes do not
   * interleave with control changes (or with each other).
   */
  serialized<T>(step: () => T | PromiseLike<T>): Promise<T> {
    const next = this.queue.then(step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Makes a talk of the series live: the session on the screens ends (if
   * it was still open), the talk's open session resumes or a fresh one
   * starts, and every screen gets a snapshot naming the new talk (pages
   * showing another talk load it).
   */
  switchTalk(talk: Talk): Promise<SessionRecord> {
    return this.serialized(async () => {
      const session = await this.goLive(talk);
      this.deps.peers?.sessionChanged(session.id);
      await this.deps.resendSnapshots();
      return session;
    });
  }

  /** Makes `talk` live, outside the queue (as the server starts, before anything else can queue). */
  async goLive(talk: Talk): Promise<SessionRecord> {
    const { storage } = this.deps;
    const now = this.deps.now();
    const previous = this.live ? { talkId: this.live.talk.id, sessionId: this.live.session.id } : await storage.getLive();
    if (previous && previous.talkId !== talk.id) await storage.endSession(previous.sessionId, now);
    const session = await storage.openSession(talk.id, now);
    await storage.setLive({ talkId: talk.id, sessionId: session.id });
    this.show(talk, session);
    return session;
  }

  private show(talk: Talk, session: SessionRecord): void {
    if (this.live?.session.id !== session.id) this.deps.sessionLeft();
    this.live = { talk, session };
  }

  /** Starts a fresh session of the live talk (the presenter's "new session"); every client gets a new snapshot. */
  startNewSession(): Promise<SessionRecord> {
    return this.serialized(async () => {
      const talk = this.talk;
      const session = await this.deps.storage.startSession(talk.id, this.deps.now());
      await this.deps.storage.setLive({ talkId: talk.id, sessionId: session.id });
      this.show(talk, session);
      this.deps.peers?.sessionChanged(session.id);
      await this.deps.resendSnapshots();
      return session;
    });
  }

  /**
   * Ends the talk: the session closes and stays on the screens, so phones
   * show its handout until the next session starts. Returns its id.
   */
  endSession(): Promise<number> {
    return this.serialized(async () => {
      const live = this.live;
      if (!live) throw refusalError('no_live_talk', 'no talk is live');
      if (live.session.endedAt !== null) return live.session.id;
      const now = this.deps.now();
      await this.deps.storage.endSession(live.session.id, now);
      this.setSession({ ...live.session, endedAt: now });
      this.deps.peers?.sessionChanged(live.session.id);
      await this.deps.resendSnapshots();
      return live.session.id;
    });
  }

  /**
   * Scaled out: another process changed the talk, or Redis is back after an
   * outage. Follows what the room shows (the live talk and session, in
   * storage) and re-reads its control state; when the talk or the session
   * changed, every local screen gets a snapshot. (Broadcasts need no
   * catching up: the adapter's stream resumes.)
   */
  catchUp(): Promise<void> {
    const { storage, logger } = this.deps;
    const next = this.queue.then(async () => {
      const live = await storage.getLive();
      if (!live) return;
      const session = await storage.getSession(live.sessionId);
      if (!session) return;
      const talk = live.talkId === this.live?.talk.id ? this.live.talk : this.deps.findTalk(live.talkId);
      if (!talk) {
        logger.error({ talk: live.talkId }, 'another process made a talk live that this one cannot load');
        return;
      }
      const changed = talk !== this.live?.talk || session.id !== this.live.session.id || session.endedAt !== this.live.session.endedAt;
      this.show(talk, session);
      if (changed) await this.deps.resendSnapshots();
    });
    const settled = next.catch((error: unknown) => logger.warn({ err: error }, 'could not catch up with the other processes'));
    this.queue = settled;
    const pending: Promise<void> = settled.then(() => {
      if (this.catchingUp === pending) this.catchingUp = undefined;
    });
    this.catchingUp = pending;
    return next;
  }

  /**
   * Resolves once this process has caught up with the changes other
   * processes announced so far. A screen joining here waits for it before
   * its snapshot, so that the snapshot names the talk and session the room
   * is on, not one another process just left (the catch-up would send it
   * another snapshot at once). The control state needs no wait: a change
   * whose announcement is still on its way would be missing from this
   * process's copy whatever it waited for, so the snapshot reads the
   * control state from storage (room-snapshots.ts).
   */
  caughtUp(): Promise<void> {
    return this.catchingUp ?? Promise.resolve();
  }
}
