/**
 * The live talk on this server: its control state, its open session, and
 * the broadcasts that follow a change.
 *
 * Changes to the control state are serialized (one at a time, in arrival
 * order), reduced by the pure talk-state module, persisted, and only then
 * broadcast and acknowledged.
 */
import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { CHAT_HISTORY, CHAT_RESYNC_MAX, DRIVER_TAKEOVER_MS, type Reaction } from '../../src/shared/limits.js';
import { PROTOCOL_VERSION, type Question, type Snapshot, type SocketData } from '../../src/shared/protocol.js';
import { reduceTalk, type TalkAction, type TalkState } from '../../src/shared/talk-state.js';
import { StorageUnavailableError, type SessionRecord, type TalkStorage } from '../storage/storage.js';
import type { Talk } from '../talk/load-talk.js';
import { AUDIENCE_ROOM, PRESENTER_ROOM, type LiveServer, type LiveSocket } from './live-server.js';
import { PaceVotes } from './pace-votes.js';
import { QuestionBroadcasts } from './question-broadcasts.js';
import { IdentityBudget } from './identity-budget.js';
import { WireErrorException } from './wire-error.js';
import { DEFAULT_IDENTITIES_PER_IP } from '../options.js';
import { Peers, SharedPaceVotes } from './peers.js';
import { LivePolls } from './live-polls.js';
import { RaceTrack } from './race-track.js';
import { RoomHealth } from './room-health.js';

const AUDIENCE_COUNT_INTERVAL_MS = 1000;
/**
 * Telling every phone the count costs one socket write per phone. Past 1,000
 * phones they hear it less often (10,000: every 10 s, and each snapshot
 * carries it), so that it never takes more than about this many writes a
 * second; presenters still hear every change within a second. At 10,000
 * phones joining, per-second counts to everyone were 40% of the server's
 * socket writes (docs/performance.md).
 */
const AUDIENCE_COUNT_PHONE_WRITES_PER_SECOND = 1000;
const REACTION_INTERVAL_MS = 250;
/** The console hears the room's pace at most once a second. */
const PACE_INTERVAL_MS = 1000;
/** While storage is failing, unsaved control changes are tried again this often. */
const UNSAVED_RETRY_MS = 1000;

export interface TalkRoomDeps {
  talk: Talk;
  storage: TalkStorage;
  io: LiveServer;
  logger: Logger;
  now?: () => number;
  /** @defaultValue DRIVER_TAKEOVER_MS */
  takeOverMs?: number;
  /**
   * Several processes share the storage and the Socket.IO adapter (Redis):
   * this process tells the others what it changed and counts the room with
   * them. `connected` is false while Redis is unreachable.
   */
  scaledOut?: { connected: () => boolean };
  /** How many identities per address count in a session's votes (identity-budget.ts). @defaultValue 100, in memory */
  identities?: IdentityBudget;
}

export class TalkRoom {
  readonly talk: Talk;
  readonly storage: TalkStorage;
  private readonly io: LiveServer;
  private readonly logger: Logger;
  readonly now: () => number;
  private session!: SessionRecord;
  private authorSecret = '';
  private controlQueue: Promise<unknown> = Promise.resolve();
  private audience = 0;
  /** What phones last heard, what presenters last heard, and the count ticks since phones heard. */
  private announcedAudience = -1;
  private presentersHeardAudience = -1;
  private ticksSincePhonesHeard = 0;
  private pendingReactions = new Map<Reaction, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  readonly paceVotes: PaceVotes;
  /** The other processes, when scaled out. */
  private readonly peers: Peers | undefined;
  /** The talk's polls (votes live in storage, with the session). */
  readonly polls: LivePolls;
  /** The race demo's pings (memory only). */
  readonly race: RaceTrack;
  private readonly questionUpdates: QuestionBroadcasts;
  private readonly identities: IdentityBudget;
  /** The room as the phones report it, for the console. */
  readonly health: RoomHealth;
  /** How long a driver's screens must be gone before another seat may take over. */
  readonly takeOverMs: number;
  /** Hidden questions the room was last told about. */
  private hiddenIds = new Set<number>();
  private announcedPace = '{"slower":0,"faster":0}';
  /** Control changes made live while storage could not take them, oldest first. */
  private unsaved: { sessionId: number; actions: TalkAction[] } | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(deps: TalkRoomDeps) {
    this.talk = deps.talk;
    this.storage = deps.storage;
    this.io = deps.io;
    this.logger = deps.logger;
    this.now = deps.now ?? Date.now;
    this.polls = new LivePolls({ ...deps, now: this.now, sessionId: () => this.session.id });
    this.race = new RaceTrack(deps.io, deps.scaledOut);
    this.questionUpdates = new QuestionBroadcasts((question) => this.sendQuestion(question), this.now);
    this.identities = deps.identities ?? new IdentityBudget(DEFAULT_IDENTITIES_PER_IP);
    this.takeOverMs = deps.takeOverMs ?? DRIVER_TAKEOVER_MS;
    this.health = new RoomHealth({
      now: this.now,
      phones: () => this.roomAudience,
      publish: (health) => this.io.to(PRESENTER_ROOM).emit('room:health', health),
    });
    if (deps.scaledOut) {
      const paceVotes = new SharedPaceVotes((clientId, dir, at) => this.peers?.paceVote(clientId, dir, at));
      this.paceVotes = paceVotes;
      this.peers = new Peers(
        deps.io,
        {
          controlChanged: () => void this.catchUp(),
          sessionChanged: () => void this.catchUp(),
          paceVote: (clientId, dir, at) => paceVotes.receive(clientId, dir, at),
        },
        this.now,
        deps.scaledOut.connected,
      );
    } else {
      this.paceVotes = new PaceVotes();
    }
  }

  async open(): Promise<void> {
    this.authorSecret = await this.storage.getOrCreateSecret('author-id', () => crypto.randomBytes(32).toString('hex'));
    this.session = await this.storage.openSession(this.talk.id, this.now());
    this.timers.push(
      setInterval(() => this.announceAudience(), AUDIENCE_COUNT_INTERVAL_MS).unref(),
      setInterval(() => this.flushReactions(), REACTION_INTERVAL_MS).unref(),
      setInterval(() => this.announcePace(), PACE_INTERVAL_MS).unref(),
    );
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.saveTimer);
    this.health.close();
    for (const timer of this.timers) clearInterval(timer);
    this.polls.close();
    this.questionUpdates.discard();
  }

  get sessionId(): number {
    return this.session.id;
  }

  get control(): TalkState {
    return this.session.control;
  }

  /**
   * The public id of a person: stable across reloads, derived from the
   * clientId with a server secret so that it cannot be turned back into the
   * clientId (which would let anyone vote or chat as someone else).
   */
  authorIdOf(clientId: string): string {
    return crypto.createHmac('sha256', this.authorSecret).update(clientId).digest('base64url').slice(0, 12);
  }

  /**
   * Applies a presenter action: serialized, persisted, then broadcast. While
   * storage cannot take writes (a locked or failing disk, Redis away), the
   * talk must not stop: the action is applied and broadcast at once and
   * kept, in order, until storage takes it (`saveUnsaved`).
   */
  changeControl(action: TalkAction): Promise<TalkState> {
    const next = this.controlQueue.then(async () => {
      if (!this.unsaved) {
        try {
          // Read-modify-write in storage, not on our copy: another process may have changed it since.
          const result = await this.storage.updateControl(this.session.id, (state) => reduceTalk(state, action));
          if (!result) return this.session.control;
          if (result.after !== result.before) this.peers?.controlChanged(this.session.id);
          return this.showControl(result.before, result.after);
        } catch (error) {
          if (!(error instanceof StorageUnavailableError)) throw error;
          this.logger.warn({ err: error.message }, 'storage is failing: control changes go live now and are saved when it is back');
          this.unsaved = { sessionId: this.session.id, actions: [] };
        }
      }
      this.unsaved.actions.push(action);
      this.scheduleSave(UNSAVED_RETRY_MS);
      return this.showControl(this.session.control, reduceTalk(this.session.control, action));
    });
    this.controlQueue = next.catch(() => undefined);
    return next;
  }

  private showControl(before: TalkState, after: TalkState): TalkState {
    this.session = { ...this.session, control: after };
    if (after !== before) this.broadcastControl(before, after);
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
    const unsaved = this.unsaved;
    if (!unsaved) return;
    if (unsaved.sessionId !== this.session.id) {
      this.unsaved = undefined; // that session has ended: its live state went with it
      return;
    }
    const actions = unsaved.actions.slice();
    try {
      const result = await this.storage.updateControl(unsaved.sessionId, (state) => actions.reduce(reduceTalk, state));
      const step = this.controlQueue.then(() => {
        unsaved.actions.splice(0, actions.length);
        if (unsaved.actions.length > 0) return this.scheduleSave(0);
        this.unsaved = undefined;
        this.logger.info('storage is back: control changes saved');
        // Another process may have changed the state meanwhile: storage is the truth again.
        const stored = result?.after;
        if (stored && unsaved.sessionId === this.session.id && JSON.stringify(stored) !== JSON.stringify(this.session.control)) {
          this.showControl(this.session.control, stored);
        }
        this.peers?.controlChanged(unsaved.sessionId);
      });
      this.controlQueue = step.catch(() => undefined);
    } catch {
      this.scheduleSave(UNSAVED_RETRY_MS);
    }
  }

  private broadcastControl(before: TalkState, after: TalkState): void {
    if (after.slide !== before.slide) {
      this.io.emit('slide:changed', after.slide);
      this.health.slideSent(after.slide.seq);
    }
    if (after.chatLocked !== before.chatLocked) this.io.emit('chat:locked', { locked: after.chatLocked });
    if (after.spotlight !== before.spotlight) this.io.emit('question:spotlight', { id: after.spotlight });
    if (after.timer !== before.timer) this.io.to(PRESENTER_ROOM).emit('timer:changed', { timer: after.timer, serverNow: this.now() });
    if (after.blank !== before.blank || after.paused !== before.paused) {
      this.io.emit('screen:changed', { blank: after.blank, paused: after.paused });
    }
    if (after.driver !== before.driver || after.asking !== before.asking) {
      this.io.to(PRESENTER_ROOM).emit('drive:changed', { driver: after.driver, asking: after.asking });
    }
    if (this.reviewIn(after) !== this.reviewIn(before)) this.io.emit('moderation:changed', { review: this.reviewIn(after) });
  }

  /** Whether new questions wait for approval: the presenter's choice, else the talk's front matter. */
  private reviewIn(state: TalkState): boolean {
    return state.review ?? this.talk.options.moderation === 'review';
  }

  get review(): boolean {
    return this.reviewIn(this.session.control);
  }

  /** Starts a fresh session (the presenter's "new session"); every client gets a new snapshot. */
  async startNewSession(): Promise<SessionRecord> {
    await this.controlQueue;
    this.session = await this.storage.startSession(this.talk.id, this.now());
    this.questionUpdates.discard();
    this.hiddenIds = new Set();
    this.peers?.sessionChanged(this.session.id);
    await this.resendSnapshots();
    return this.session;
  }

  /**
   * Scaled out: another process changed the talk, or Redis is back after an
   * outage. Re-reads our session and its control state; if it ended
   * elsewhere, follows the open one, and every local screen gets a snapshot
   * of it. (Broadcasts need no catching up: the adapter's stream resumes.)
   */
  catchUp(): Promise<void> {
    const next = this.controlQueue.then(async () => {
      const current = await this.storage.getSession(this.session.id);
      if (current && current.endedAt === null) {
        this.session = current;
        return;
      }
      this.session = await this.storage.openSession(this.talk.id, this.now());
      this.questionUpdates.discard();
      await this.resendSnapshots();
    });
    this.controlQueue = next.catch((error: unknown) => this.logger.warn({ err: error }, 'could not catch up with the other processes'));
    return next;
  }

  async endSession(): Promise<void> {
    await this.storage.endSession(this.session.id, this.now());
    await this.startNewSession();
  }

  async resendSnapshots(): Promise<void> {
    const sockets = await this.io.local.fetchSockets();
    for (const socket of sockets) {
      socket.emit('snapshot', await this.snapshotFor(socket.data));
    }
  }

  async snapshotFor(data: SocketData): Promise<Snapshot> {
    const [chat, questions, votes, polls] = await Promise.all([
      this.chatFor(data.lastChatId),
      this.storage.listQuestions(this.session.id),
      this.storage.votesOf(this.session.id, data.clientId),
      this.polls.viewsFor(this.session.id, data.clientId),
    ]);
    const voted = new Set(votes);
    // Phones see published questions, and their own while they wait for approval.
    const visible =
      data.role === 'presenter' ? questions : questions.filter((question) => !question.hidden && (!question.pending || question.authorId === data.authorId));
    const control = this.session.control;
    return {
      protocol: PROTOCOL_VERSION,
      role: data.role,
      slide: this.session.control.slide,
      chat,
      questions: visible.map((question) => ({ ...question, voted: voted.has(question.id) })),
      spotlight: this.session.control.spotlight,
      chatLocked: this.session.control.chatLocked,
      audience: this.roomAudience,
      me: { authorId: data.authorId, name: data.name },
      sessionId: this.session.id,
      timer: this.session.control.timer,
      serverNow: this.now(),
      blank: this.session.control.blank,
      paused: this.session.control.paused,
      ...(data.role === 'presenter'
        ? {
            pace: this.paceVotes.balance(this.now()),
            drive: { driver: control.driver, asking: control.asking, you: data.seat ?? { seat: '', name: '' }, takeOverMs: this.takeOverMs },
            health: this.health.summary(),
          }
        : {}),
      polls,
      hiddenQuestions: questions.filter((question) => question.hidden).length,
      review: this.review,
    };
  }

  /**
   * A late joiner gets the newest messages; a phone coming back from a drop
   * gets exactly what it missed after its last-seen id, when that is not too
   * much to send (it merges them into what it holds, by id).
   */
  private async chatFor(lastChatId: number | undefined) {
    if (lastChatId !== undefined) {
      const missed = await this.storage.chatSince(this.session.id, lastChatId, CHAT_RESYNC_MAX + 1);
      if (missed.length <= CHAT_RESYNC_MAX) return missed;
    }
    return this.storage.recentChat(this.session.id, CHAT_HISTORY);
  }

  /**
   * Refuses the vote of an identity beyond its address's budget for this
   * session (vote stuffing with invented clientIds); presenters always count.
   */
  async assertVoteCounts(socket: LiveSocket): Promise<void> {
    const { role, clientId, ip } = socket.data;
    if (role === 'presenter' || (await this.identities.counts(this.session.id, clientId, ip))) return;
    throw new WireErrorException('forbidden', 'too many phones from your network are voting in this session: yours cannot count');
  }

  /**
   * Queues a question's new state for the next coalesced `question:updated`
   * (question-broadcasts.ts). Hidden questions reach phones without their
   * text, and every phone hears how many the presenter hid; a question
   * waiting for approval reaches presenters only (its asker has it from the ack).
   */
  broadcastQuestion(question: Question): void {
    this.questionUpdates.update(question);
  }

  private sendQuestion(question: Question): void {
    this.io.to(PRESENTER_ROOM).emit('question:updated', question);
    if (question.pending) return;
    const forAudience = question.hidden ? { ...question, name: '', text: '' } : question;
    this.io.to(AUDIENCE_ROOM).emit('question:updated', forAudience);
    if (question.hidden !== this.hiddenIds.has(question.id)) void this.announceHidden();
  }

  private async announceHidden(): Promise<void> {
    try {
      const hidden = (await this.storage.listQuestions(this.session.id)).filter((question) => question.hidden).map((question) => question.id);
      if (hidden.length === this.hiddenIds.size && hidden.every((id) => this.hiddenIds.has(id))) return;
      this.hiddenIds = new Set(hidden);
      this.io.emit('questions:hidden', { count: hidden.length });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not count hidden questions');
    }
  }

  // ------------------------------------------------------------ presence and reactions

  audienceJoined(socket: LiveSocket): void {
    this.audience++;
    this.health.phoneJoined(socket);
    // One listener for every phone rather than a closure each; a socket says 'disconnect' once.
    socket.on('disconnect', this.audienceLeft);
  }

  /** Shared by every phone: Socket.IO calls it with the socket that left as `this`. */
  private readonly audienceLeft = ((room: TalkRoom) =>
    function (this: LiveSocket): void {
      room.audience--;
      room.health.phoneLeft(this);
    })(this);

  /** Phones connected to this process. */
  get audienceCount(): number {
    return this.audience;
  }

  /** Presenter screens on the other processes (scaled out; 0 otherwise). */
  presentersElsewhere(): number {
    return this.peers?.presentersElsewhere() ?? 0;
  }

  /** Phones in the room: this process's plus, scaled out, what the others last reported. */
  get roomAudience(): number {
    return this.peers ? this.peers.totalAudience(this.audience) : this.audience;
  }

  private announceAudience(): void {
    const presentersHere = this.io.of('/').adapter.rooms.get(PRESENTER_ROOM)?.size ?? 0;
    const total = this.peers ? this.peers.reportAudience(this.audience, presentersHere) : this.audience;
    // Scaled out, every process tells its own sockets the room's total (a broadcast would repeat it once per process).
    const target = this.peers ? this.io.local : this.io;
    const phoneTicks = Math.ceil(total / AUDIENCE_COUNT_PHONE_WRITES_PER_SECOND);
    this.ticksSincePhonesHeard++;
    if (total !== this.announcedAudience && this.ticksSincePhonesHeard >= phoneTicks) {
      this.announcedAudience = this.presentersHeardAudience = total;
      this.ticksSincePhonesHeard = 0;
      target.emit('audience:count', { n: total });
    } else if (total !== this.presentersHeardAudience) {
      this.presentersHeardAudience = total;
      target.to(PRESENTER_ROOM).emit('audience:count', { n: total });
    } else return;
    this.storage.notePeakAudience(this.session.id, total).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not record audience peak');
    });
  }

  /** Votes decay on their own, so the balance is recomputed every tick, not only when someone votes. */
  private announcePace(): void {
    const balance = this.paceVotes.balance(this.now());
    const key = JSON.stringify(balance);
    if (key === this.announcedPace) return;
    this.announcedPace = key;
    // Scaled out, every process holds every vote and tells its own presenter screens.
    (this.peers ? this.io.local : this.io).to(PRESENTER_ROOM).emit('pace:balance', balance);
  }

  addReaction(emoji: Reaction): void {
    this.pendingReactions.set(emoji, (this.pendingReactions.get(emoji) ?? 0) + 1);
  }

  private flushReactions(): void {
    if (this.pendingReactions.size === 0) return;
    const counts = Object.fromEntries(this.pendingReactions);
    this.pendingReactions = new Map();
    // Volatile for phones: one that is behind skips a burst rather than queueing it. Presenter screens
    // get every burst: a volatile packet is dropped whenever the socket is busy writing, and the
    // console's reaction stream must not miss the room.
    this.io.to(AUDIENCE_ROOM).volatile.emit('reaction:burst', { counts });
    this.io.to(PRESENTER_ROOM).emit('reaction:burst', { counts });
  }
}
