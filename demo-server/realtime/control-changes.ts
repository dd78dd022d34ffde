/**
 * Presenter actions on the control state (slide, chat lock, spotlight,
 * timer, screen, driving, review): serialized in the live talk's queue,
 * reduced by the pure talk-state module, persisted (with the timeline
 * entries the session's report reads), and only then broadcast and
 * acknowledged.
 */
import type { Logger } from 'pino';
import { reduceTalk, type TalkAction, type TalkState } from '../../src/shared/talk-state.js';
import { timelineEntries } from '../report/timeline.js';
import { StorageUnavailableError, type TalkStorage, type TimelineEntry } from '../storage/storage.js';
import { PRESENTER_ROOM, type LiveServer } from './live-server.js';
import type { LiveTalk } from './live-talk.js';
import type { Peers } from './peers.js';
import type { RoomBroadcasts } from './room-broadcasts.js';
import type { RoomHealth } from './room-health.js';
import { refusalError } from './wire-error.js';

/** While storage is failing, unsaved control changes are tried again this often. */
const UNSAVED_RETRY_MS = 1000;

export interface ControlChangesDeps {
  live: LiveTalk;
  storage: TalkStorage;
  io: LiveServer;
  logger: Logger;
  now: () => number;
  peers: Peers | undefined;
  broadcasts: RoomBroadcasts;
  health: RoomHealth;
}

export class ControlChanges {
  /** Control changes made live while storage could not take them, oldest first, with the timeline entries they made. */
  private unsaved: { sessionId: number; actions: TalkAction[]; timeline: TimelineEntry[] } | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly deps: ControlChangesDeps) {}

  /**
   * Applies a presenter action: serialized, persisted, then broadcast. While
   * storage cannot take writes (a locked or failing disk, Redis away), the
   * talk must not stop: the action is applied and broadcast at once and
   * kept, in order, until storage takes it (`saveUnsaved`).
   */
  change(action: TalkAction): Promise<TalkState> {
    const { live, storage, logger } = this.deps;
    return live.serialized(async () => {
      const session = live.session;
      // The talk ended or switched while this change waited in the queue: it no longer applies.
      if (!session || session.endedAt !== null) throw refusalError('talk_ended', 'the session has ended');
      const sessionId = session.id;
      const at = this.deps.now();
      const timeline = (before: TalkState, after: TalkState) => timelineEntries(action, before, after, at);
      if (!this.unsaved) {
        try {
          // Read-modify-write in storage, not on our copy: another process may have changed it since.
          const result = await storage.updateControl(sessionId, (state) => reduceTalk(state, action), timeline);
          if (!result) return live.control;
          if (result.after !== result.before) this.deps.peers?.controlChanged(sessionId);
          return this.show(result.before, result.after);
        } catch (error) {
          if (!(error instanceof StorageUnavailableError)) throw error;
          logger.warn({ err: error.message }, 'storage is failing: control changes go live now and are saved when it is back');
          this.unsaved = { sessionId, actions: [], timeline: [] };
        }
      }
      const before = live.control;
      const after = reduceTalk(before, action);
      this.unsaved.actions.push(action);
      this.unsaved.timeline.push(...timeline(before, after));
      this.scheduleSave(UNSAVED_RETRY_MS);
      return this.show(before, after);
    });
  }

  /** Changes made live while storage could not take them are still waiting for it: this process's copy is ahead of storage. */
  get holdsUnsaved(): boolean {
    return this.unsaved !== undefined;
  }

  /** Another session went on the screens: its unsaved changes went with the old one's live state. */
  forgetUnsaved(): void {
    this.unsaved = undefined;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.saveTimer);
  }

  private show(before: TalkState, after: TalkState): TalkState {
    const session = this.deps.live.session;
    if (session) this.deps.live.setSession({ ...session, control: after });
    if (after !== before) this.broadcast(before, after);
    return after;
  }

  private scheduleSave(delayMs: number): void {
    if (this.saveTimer || this.closed) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.saveUnsaved();
    }, delayMs);
    this.saveTimer.unref();
  }

  /**
   * Writes the changes made while storage was failing, in order, outside the
   * control queue (so a write still waiting for the disk holds up no slide
   * change); changes made meanwhile wait for the next round.
   */
  private async saveUnsaved(): Promise<void> {
    const { live, storage, logger } = this.deps;
    const unsaved = this.unsaved;
    if (!unsaved) return;
    if (unsaved.sessionId !== live.session?.id) {
      this.unsaved = undefined; // that session is off the screens: its live state went with it
      return;
    }
    const actions = unsaved.actions.slice();
    const timeline = unsaved.timeline.slice();
    try {
      const result = await storage.updateControl(
        unsaved.sessionId,
        (state) => actions.reduce(reduceTalk, state),
        () => timeline,
      );
      void live.serialized(() => {
        unsaved.actions.splice(0, actions.length);
        unsaved.timeline.splice(0, timeline.length);
        if (unsaved.actions.length > 0) return this.scheduleSave(0);
        this.unsaved = undefined;
        logger.info('storage is back: control changes saved');
        // Another process may have changed the state meanwhile: storage is the truth again.
        const stored = result?.after;
        if (stored && unsaved.sessionId === live.session?.id && JSON.stringify(stored) !== JSON.stringify(live.control)) {
          this.show(live.control, stored);
        }
        this.deps.peers?.controlChanged(unsaved.sessionId);
      });
    } catch {
      this.scheduleSave(UNSAVED_RETRY_MS);
    }
  }

  private broadcast(before: TalkState, after: TalkState): void {
    const { io, live, broadcasts } = this.deps;
    // One change, one revision: every event below reports the same commit.
    const rev = broadcasts.revisions.next();
    if (after.slide !== before.slide) {
      broadcasts.broadcast('slide:changed', { ...after.slide, rev });
      this.deps.health.slideSent(after.slide.seq);
    }
    if (after.chatLocked !== before.chatLocked) broadcasts.broadcast('chat:locked', { locked: after.chatLocked, rev });
    if (after.spotlight !== before.spotlight) broadcasts.broadcast('question:spotlight', { id: after.spotlight, rev });
    if (after.timer !== before.timer) io.to(PRESENTER_ROOM).emit('timer:changed', { timer: after.timer, serverNow: this.deps.now(), rev });
    if (after.blank !== before.blank || after.paused !== before.paused) {
      broadcasts.broadcast('screen:changed', { blank: after.blank, paused: after.paused, rev });
    }
    if (after.driver !== before.driver || after.asking !== before.asking) {
      io.to(PRESENTER_ROOM).emit('drive:changed', { driver: after.driver, asking: after.asking, rev });
    }
    if (live.reviewIn(after) !== live.reviewIn(before)) broadcasts.broadcast('moderation:changed', { review: live.reviewIn(after), rev });
  }
}
