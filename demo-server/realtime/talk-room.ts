/**
 * The live talk on this server: which talk of the series is live, its
 * session (open, or ended: phones then show its handout until the next
 * starts), its control state, and the broadcasts that follow a change.
 *
 * Changes to the control state are serialized (one at a time, in arrival
 * order), reduced by the pure talk-state module, persisted (with the
 * timeline entries the session's report reads), and only then broadcast
 * and acknowledged. Switching talks and starting or ending a session go
 * through the same queue.
 */
import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { CHAT_HISTORY, CHAT_RESYNC_MAX, DEFAULT_QUESTIONS_PER_PERSON, DRIVER_TAKEOVER_MS, type Reaction } from '../../src/shared/limits.js';
import {
  PROTOCOL_VERSION,
  type ChatMessage,
  type Question,
  type QuestionView,
  type RoomBatch,
  type ServerToClientEvents,
  type Snapshot,
  type SocketData,
} from '../../src/shared/protocol.js';
import { initialTalkState, reduceTalk, type TalkAction, type TalkState } from '../../src/shared/talk-state.js';
import { timelineEntries } from '../report/timeline.js';
import { StorageUnavailableError, type SessionRecord, type TalkStorage, type TimelineEntry } from '../storage/storage.js';
import type { Talk } from '../talk/load-talk.js';
import type { RoomStage } from './event-guards.js';
import { AUDIENCE_ROOM, PRESENTER_ROOM, type LiveServer, type LiveSocket } from './live-server.js';
import { PaceVotes } from './pace-votes.js';
import { QuestionBroadcasts } from './question-broadcasts.js';
import { IdentityBudget } from './identity-budget.js';
import { guestName, NameRegistry } from './names.js';
import { QuestionQuota } from './question-quota.js';
import { joinQuestions, questionPage } from './question-window.js';
import { VoteShares } from './vote-shares.js';
import { refusalError, WireErrorException } from './wire-error.js';
import { DEFAULT_IDENTITIES_PER_IP } from '../options.js';
import { Peers, SharedPaceVotes } from './peers.js';
import { LivePolls } from './live-polls.js';
import { RaceTrack } from './race-track.js';
import { RoomHealth } from './room-health.js';
import { PhoneBatches, type BatchSenders } from './phone-batches.js';
import { PresenterPresence } from './presenter-presence.js';
import { HeldPeople } from './held-people.js';

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
/**
 * While a crowd pours in (the count moved by more than this many phones, or
 * 1 %, in the last second) phones wait for it to settle, up to
 * AUDIENCE_COUNT_STORM_WAIT_TICKS seconds: each new phone's snapshot carries
 * the count, and a count sent to the whole room mid-storm is stale a second
 * later. At 10,000 phones joining at once these were about a quarter of the
 * socket writes of the storm (docs/performance.md).
 */
const AUDIENCE_COUNT_STORM_CHANGE = 50;
const AUDIENCE_COUNT_STORM_WAIT_TICKS = 30;
const REACTION_INTERVAL_MS = 250;
/** Chat ids before a resuming phone's last-seen one that come again when scaled out (see chatFor). */
const SCALED_OUT_CHAT_OVERLAP = 20;
/** The console hears the room's pace at most once a second. */
const PACE_INTERVAL_MS = 1000;
/** Presenters hear about unusual vote shares at most once a second. */
const UNUSUAL_VOTES_INTERVAL_MS = 1000;
/** While storage is failing, unsaved control changes are tried again this often. */
const UNSAVED_RETRY_MS = 1000;

export interface TalkRoomDeps {
  storage: TalkStorage;
  /**
   * A talk of the series by id, when it loads (scaled out, another process
   * may make a talk live: this one loads it from its own slides folder).
   */
  findTalk: (id: string) => Talk | undefined;
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
  /** Who carries which name in a session (names.ts). @defaultValue in memory */
  names?: NameRegistry;
  /** How many questions one person may ask in a session (question-quota.ts). @defaultValue DEFAULT_QUESTIONS_PER_PERSON, in memory */
  questionQuota?: QuestionQuota;
}

export class TalkRoom {
  readonly storage: TalkStorage;
  private readonly io: LiveServer;
  private readonly logger: Logger;
  readonly now: () => number;
  private readonly findTalk: (id: string) => Talk | undefined;
  private live: { talk: Talk; session: SessionRecord } | null = null;
  private authorSecret = '';
  private controlQueue: Promise<unknown> = Promise.resolve();
  /** Scaled out: the catch-up with another process's change still under way, if any (see caughtUp). */
  private catchingUp: Promise<void> | undefined;
  private audience = 0;
  /** What phones last heard, what presenters last heard, and the count ticks since phones heard. */
  private announcedAudience = -1;
  private presentersHeardAudience = -1;
  private ticksSincePhonesHeard = 0;
  /** The count at the previous tick, to tell a crowd pouring in. */
  private previousTickAudience = 0;
  /** The last audience sample written, so that each session's curve gets a point when the count changes (and one to start). */
  private recorded: { sessionId: number; n: number } | undefined;
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
  private readonly names: NameRegistry;
  private readonly questionQuota: QuestionQuota;
  private readonly voteShares = new VoteShares();
  /** Phones connected to this process, per address. */
  private readonly phonesByAddress = new Map<string, number>();
  private announcedUnusual = '[]';
  /** The room as the phones report it, for the console. */
  readonly health: RoomHealth;
  /** What phones hear of chat, reactions, questions, polls of every kind and counts, batched (phone-batches.ts). */
  readonly phones: PhoneBatches;
  /** Whether a presenter screen is connected, here or (scaled out) on another process. */
  readonly presence: PresenterPresence;
  /** People first seen after a ban marked their address: what they send waits for the presenter (held-people.ts). */
  readonly held: HeldPeople;
  /** How long a driver's screens must be gone before another seat may take over. */
  readonly takeOverMs: number;
  /** Hidden questions the room was last told about. */
  private hiddenIds = new Set<number>();
  private announcedPace = '{"slower":0,"faster":0}';
  /** Control changes made live while storage could not take them, oldest first, with the timeline entries they made. */
  private unsaved: { sessionId: number; actions: TalkAction[]; timeline: TimelineEntry[] } | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(deps: TalkRoomDeps) {
    this.storage = deps.storage;
    this.findTalk = deps.findTalk;
    this.io = deps.io;
    this.logger = deps.logger;
    this.now = deps.now ?? Date.now;
    this.phones = new PhoneBatches(
      (batch, senders) => this.sendBatch(batch, senders),
      () => this.roomAudience,
      this.now,
    );
    this.presence = new PresenterPresence(deps.io, () => this.presentersElsewhere());
    this.held = new HeldPeople({
      storage: deps.storage,
      io: deps.io,
      logger: deps.logger,
      sessionId: () => this.sessionId,
      now: this.now,
      authorIdOf: (clientId) => this.authorIdOf(clientId),
      addressKeyOf: (ip) => this.addressKeyOf(ip),
    });
    this.polls = new LivePolls({
      ...deps,
      now: this.now,
      talk: () => this.liveTalk,
      sessionId: () => this.sessionId,
      phones: this.phones,
    });
    this.race = new RaceTrack(deps.io, deps.scaledOut);
    this.questionUpdates = new QuestionBroadcasts((question) => this.sendQuestion(question), this.now);
    this.identities = deps.identities ?? new IdentityBudget(DEFAULT_IDENTITIES_PER_IP);
    this.names = deps.names ?? new NameRegistry();
    this.questionQuota = deps.questionQuota ?? new QuestionQuota(DEFAULT_QUESTIONS_PER_PERSON);
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

  /**
   * Makes `talk` live as the server starts (null: the one chosen failed to
   * load, and the presenter picks one from the home). A session another
   * talk left open (the server presented it before this start) ends.
   */
  async open(talk: Talk | null): Promise<void> {
    this.authorSecret = await this.storage.getOrCreateSecret('author-id', () => crypto.randomBytes(32).toString('hex'));
    if (talk) await this.goLive(talk);
    this.timers.push(
      setInterval(() => this.announceAudience(), AUDIENCE_COUNT_INTERVAL_MS).unref(),
      setInterval(() => this.flushReactions(), REACTION_INTERVAL_MS).unref(),
      setInterval(() => this.announcePace(), PACE_INTERVAL_MS).unref(),
      setInterval(() => this.announceUnusualVotes(), UNUSUAL_VOTES_INTERVAL_MS).unref(),
    );
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.saveTimer);
    this.health.close();
    for (const timer of this.timers) clearInterval(timer);
    this.polls.close();
    this.questionUpdates.discard();
    this.phones.discard();
  }

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

  /** Replaces the session record of the live talk (after a write, or what another process wrote). */
  private setSession(session: SessionRecord): void {
    if (this.live) this.live = { ...this.live, session };
  }

  /**
   * Runs `step` in the control queue: talk switches and session changes do
   * not interleave with control changes (or with each other).
   */
  private serialized<T>(step: () => Promise<T>): Promise<T> {
    const next = this.controlQueue.then(step);
    this.controlQueue = next.catch(() => undefined);
    return next;
  }

  /**
   * The public id of a person: stable across reloads, derived from the
   * clientId with a server secret so that it cannot be turned back into the
   * clientId (which would let anyone vote or chat as someone else).
   */
  authorIdOf(clientId: string): string {
    return crypto.createHmac('sha256', this.authorSecret).update(clientId).digest('base64url').slice(0, 12);
  }

  /** An address as storage keeps it (a ban's mark): keyed like authorIdOf, so no one reading storage learns an address. */
  addressKeyOf(ip: string): string {
    return crypto.createHmac('sha256', this.authorSecret).update(`address:${ip}`).digest('base64url');
  }

  /**
   * Applies a presenter action: serialized, persisted, then broadcast. While
   * storage cannot take writes (a locked or failing disk, Redis away), the
   * talk must not stop: the action is applied and broadcast at once and
   * kept, in order, until storage takes it (`saveUnsaved`).
   */
  changeControl(action: TalkAction): Promise<TalkState> {
    return this.serialized(async () => {
      const live = this.live;
      // The talk ended or switched while this change waited in the queue: it no longer applies.
      if (!live || live.session.endedAt !== null) throw refusalError('talk_ended', 'the session has ended');
      const sessionId = live.session.id;
      const at = this.now();
      const timeline = (before: TalkState, after: TalkState) => timelineEntries(action, before, after, at);
      if (!this.unsaved) {
        try {
          // Read-modify-write in storage, not on our copy: another process may have changed it since.
          const result = await this.storage.updateControl(sessionId, (state) => reduceTalk(state, action), timeline);
          if (!result) return this.control;
          if (result.after !== result.before) this.peers?.controlChanged(sessionId);
          return this.showControl(result.before, result.after);
        } catch (error) {
          if (!(error instanceof StorageUnavailableError)) throw error;
          this.logger.warn({ err: error.message }, 'storage is failing: control changes go live now and are saved when it is back');
          this.unsaved = { sessionId, actions: [], timeline: [] };
        }
      }
      const before = this.control;
      const after = reduceTalk(before, action);
      this.unsaved.actions.push(action);
      this.unsaved.timeline.push(...timeline(before, after));
      this.scheduleSave(UNSAVED_RETRY_MS);
      return this.showControl(before, after);
    });
  }

  private showControl(before: TalkState, after: TalkState): TalkState {
    if (this.live) this.setSession({ ...this.live.session, control: after });
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
    if (unsaved.sessionId !== this.live?.session.id) {
      this.unsaved = undefined; // that session is off the screens: its live state went with it
      return;
    }
    const actions = unsaved.actions.slice();
    const timeline = unsaved.timeline.slice();
    try {
      const result = await this.storage.updateControl(
        unsaved.sessionId,
        (state) => actions.reduce(reduceTalk, state),
        () => timeline,
      );
      const step = this.controlQueue.then(() => {
        unsaved.actions.splice(0, actions.length);
        unsaved.timeline.splice(0, timeline.length);
        if (unsaved.actions.length > 0) return this.scheduleSave(0);
        this.unsaved = undefined;
        this.logger.info('storage is back: control changes saved');
        // Another process may have changed the state meanwhile: storage is the truth again.
        const stored = result?.after;
        if (stored && unsaved.sessionId === this.live?.session.id && JSON.stringify(stored) !== JSON.stringify(this.control)) {
          this.showControl(this.control, stored);
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
      this.broadcast('slide:changed', after.slide);
      this.health.slideSent(after.slide.seq);
    }
    if (after.chatLocked !== before.chatLocked) this.broadcast('chat:locked', { locked: after.chatLocked });
    if (after.spotlight !== before.spotlight) this.broadcast('question:spotlight', { id: after.spotlight });
    if (after.timer !== before.timer) this.io.to(PRESENTER_ROOM).emit('timer:changed', { timer: after.timer, serverNow: this.now() });
    if (after.blank !== before.blank || after.paused !== before.paused) {
      this.broadcast('screen:changed', { blank: after.blank, paused: after.paused });
    }
    if (after.driver !== before.driver || after.asking !== before.asking) {
      this.io.to(PRESENTER_ROOM).emit('drive:changed', { driver: after.driver, asking: after.asking });
    }
    if (this.reviewIn(after) !== this.reviewIn(before)) this.broadcast('moderation:changed', { review: this.reviewIn(after) });
  }

  /**
   * Sends an event to every screen, after what phones are still waiting for
   * in their batch: a phone hears of a deleted message or a spotlighted
   * question only after the message or the question itself.
   */
  broadcast<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    this.phones.flush();
    this.io.emit(event, ...args);
  }

  /**
   * A new chat message: to presenter screens at once, to phones with their next batch; never back to its sender
   * (it has the ack). A held person's message the presenter approved has no sender: everyone hears it.
   */
  publishChat(message: ChatMessage, sender?: LiveSocket): void {
    this.io
      .to(PRESENTER_ROOM)
      .except(sender?.id ?? [])
      .emit('chat:message', message);
    this.phones.addChat(message, sender && sender.data.role !== 'presenter' ? sender.id : undefined);
  }

  /**
   * Scaled out, every process batches what it accepted for every process's
   * phones (through the adapter, so a phone that reconnects to any process
   * can have it replayed), but the audience count is each process's own
   * reading of the room: it goes to its own phones only. The senders of this
   * batch's messages get a copy without them (they have them in their ack).
   */
  private sendBatch(batch: RoomBatch, senders: BatchSenders): void {
    let shared = batch;
    if (this.peers && batch.audience !== undefined) {
      const { audience, ...rest } = batch;
      this.io.local.to(AUDIENCE_ROOM).emit('room:batch', { audience });
      shared = rest;
    }
    if (Object.keys(shared).length === 0) return;
    this.io
      .to(AUDIENCE_ROOM)
      .except([...senders.keys()])
      .emit('room:batch', shared);
    for (const [socketId, own] of senders) {
      const { chat, ...rest } = shared;
      const others = chat?.filter((message) => !own.has(message.id)) ?? [];
      const forSender: RoomBatch = others.length > 0 ? { ...rest, chat: others } : rest;
      if (Object.keys(forSender).length > 0) this.io.to(socketId).emit('room:batch', forSender);
    }
  }

  /** Whether new questions wait for approval: the presenter's choice, else the talk's front matter. */
  private reviewIn(state: TalkState): boolean {
    return state.review ?? this.live?.talk.options.moderation === 'review';
  }

  get review(): boolean {
    return this.reviewIn(this.control);
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
      this.peers?.sessionChanged(session.id);
      await this.resendSnapshots();
      return session;
    });
  }

  private async goLive(talk: Talk): Promise<SessionRecord> {
    const now = this.now();
    const previous = this.live ? { talkId: this.live.talk.id, sessionId: this.live.session.id } : await this.storage.getLive();
    if (previous && previous.talkId !== talk.id) await this.storage.endSession(previous.sessionId, now);
    const session = await this.storage.openSession(talk.id, now);
    await this.storage.setLive({ talkId: talk.id, sessionId: session.id });
    this.show(talk, session);
    return session;
  }

  private show(talk: Talk, session: SessionRecord): void {
    if (this.live?.session.id !== session.id) {
      // What was waiting for the old session (unsaved control changes, coalesced question updates) went with it.
      this.unsaved = undefined;
      this.questionUpdates.discard();
      this.phones.discard();
      this.hiddenIds = new Set();
    }
    this.live = { talk, session };
  }

  /** Starts a fresh session of the live talk (the presenter's "new session"); every client gets a new snapshot. */
  startNewSession(): Promise<SessionRecord> {
    return this.serialized(async () => {
      const talk = this.talk;
      const session = await this.storage.startSession(talk.id, this.now());
      await this.storage.setLive({ talkId: talk.id, sessionId: session.id });
      this.show(talk, session);
      this.peers?.sessionChanged(session.id);
      await this.resendSnapshots();
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
      const now = this.now();
      await this.storage.endSession(live.session.id, now);
      this.setSession({ ...live.session, endedAt: now });
      this.peers?.sessionChanged(live.session.id);
      await this.resendSnapshots();
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
    const next = this.controlQueue.then(async () => {
      const live = await this.storage.getLive();
      if (!live) return;
      const session = await this.storage.getSession(live.sessionId);
      if (!session) return;
      const talk = live.talkId === this.live?.talk.id ? this.live.talk : this.findTalk(live.talkId);
      if (!talk) {
        this.logger.error({ talk: live.talkId }, 'another process made a talk live that this one cannot load');
        return;
      }
      const changed = talk !== this.live?.talk || session.id !== this.live.session.id || session.endedAt !== this.live.session.endedAt;
      this.show(talk, session);
      if (changed) await this.resendSnapshots();
    });
    const settled = next.catch((error: unknown) => this.logger.warn({ err: error }, 'could not catch up with the other processes'));
    this.controlQueue = settled;
    const pending: Promise<void> = settled.then(() => {
      if (this.catchingUp === pending) this.catchingUp = undefined;
    });
    this.catchingUp = pending;
    return next;
  }

  /**
   * Resolves once this process has caught up with the changes other
   * processes announced so far. A phone joining here waits for it before its
   * snapshot: the other process's broadcast (a slide change) reached this
   * process's phones already, and a phone that joined in between would
   * otherwise land on the state before it and never hear the change.
   */
  caughtUp(): Promise<void> {
    return this.catchingUp ?? Promise.resolve();
  }

  async resendSnapshots(): Promise<void> {
    const sockets = await this.io.local.fetchSockets();
    // Presenter screens first: their names are reserved before any phone's is weighed against them.
    const ordered = [...sockets.filter((socket) => socket.data.role === 'presenter'), ...sockets.filter((socket) => socket.data.role !== 'presenter')];
    for (const socket of ordered) {
      await this.carryName(socket.data);
      socket.emit('snapshot', await this.snapshotFor(socket.data));
    }
  }

  /**
   * Names belong to a session (names.ts): when another session goes live, a
   * connected person's name is claimed again in it, or gives way to their
   * guest name when someone there holds it (or a look-alike) already. A
   * claim a person already holds changes nothing.
   */
  private async carryName(data: SocketData): Promise<void> {
    const seat = data.seat?.name;
    if (data.role === 'presenter' ? !seat : data.name === guestName(data.authorId)) return;
    try {
      await this.claimName(data, data.role === 'presenter' ? seat! : data.name);
    } catch (refusal) {
      if (!(refusal instanceof WireErrorException)) return this.logger.warn({ err: refusal }, 'could not carry a name into the new session');
      data.name = guestName(data.authorId);
    }
  }

  async snapshotFor(data: SocketData): Promise<Snapshot> {
    const live = this.live;
    const sessionId = live?.session.id;
    const [chat, questions, votes, polls, held] = sessionId
      ? await Promise.all([
          this.chatFor(sessionId, data.lastChatId),
          this.storage.listQuestions(sessionId),
          this.storage.votesOf(sessionId, data.clientId),
          this.polls.viewsFor(sessionId, data.clientId, data.role),
          this.heldViewFor(data),
        ])
      : [[], [], [], { polls: [], clouds: [], texts: [] }, {}];
    const voted = new Set(votes);
    const control = live?.session.control ?? initialTalkState;
    // Bounded whatever the history; phones see published questions, and their own while they wait for approval.
    const joined = joinQuestions(questions, data, control.spotlight);
    return {
      protocol: PROTOCOL_VERSION,
      role: data.role,
      talkId: live?.talk.id ?? null,
      ended: live ? live.session.endedAt !== null : false,
      slide: control.slide,
      chat,
      questions: joined.questions.map((question) => ({ ...question, voted: voted.has(question.id) })),
      questionsTotal: joined.total,
      spotlight: control.spotlight,
      chatLocked: control.chatLocked,
      audience: this.roomAudience,
      me: { authorId: data.authorId, name: data.name },
      sessionId: sessionId ?? 0,
      timer: control.timer,
      serverNow: this.now(),
      blank: control.blank,
      paused: control.paused,
      ...(data.role === 'presenter'
        ? {
            pace: this.paceVotes.balance(this.now()),
            drive: { driver: control.driver, asking: control.asking, you: data.seat ?? { seat: '', name: '' }, takeOverMs: this.takeOverMs },
            health: this.health.summary(),
            unusualVotes: this.unusualVotes(),
          }
        : {}),
      ...held,
      ...polls,
      hiddenQuestions: questions.filter((question) => question.hidden).length,
      review: this.review,
      presenterOnline: this.presence.online,
    };
  }

  /** Presenters see who is held; a held phone sees its own waiting messages. */
  private async heldViewFor(data: SocketData): Promise<Pick<Snapshot, 'held' | 'waiting'>> {
    if (data.role === 'presenter') return { held: await this.held.list() };
    const waiting = await this.held.waitingFor(data);
    return waiting.length > 0 ? { waiting } : {};
  }

  /**
   * A late joiner gets the newest messages; a phone coming back from a drop
   * gets what it missed after its last-seen id, when that is not too much to
   * send (it merges them into what it holds, by id). Scaled out, a phone can
   * hear a message sent through its own process before an older one that
   * another process stored a moment earlier is relayed to it: the last few
   * ids before its last-seen one come again, so a drop in between loses
   * neither (the two-process soak lost one message this way).
   */
  private async chatFor(sessionId: number, lastChatId: number | undefined) {
    if (lastChatId !== undefined) {
      const from = this.peers ? Math.max(0, lastChatId - SCALED_OUT_CHAT_OVERLAP) : lastChatId;
      const missed = await this.storage.chatSince(sessionId, from, CHAT_RESYNC_MAX + 1);
      if (missed.length <= CHAT_RESYNC_MAX) return missed;
    }
    return this.storage.recentChat(sessionId, CHAT_HISTORY);
  }

  /** A page of the questions this viewer may see, past what its join carried (question-window.ts). */
  async questionPage(data: SocketData, offset: number): Promise<{ questions: QuestionView[]; total: number }> {
    const sessionId = this.sessionId;
    const [questions, votes] = await Promise.all([this.storage.listQuestions(sessionId), this.storage.votesOf(sessionId, data.clientId)]);
    const voted = new Set(votes);
    const page = questionPage(questions, data, offset);
    return { questions: page.questions.map((question) => ({ ...question, voted: voted.has(question.id) })), total: page.total };
  }

  /** Spends one of the person's questions for this session; refused once the cap is reached (presenters ask freely). */
  async takeQuestion(data: SocketData): Promise<() => Promise<void>> {
    const nothing = async () => {};
    if (data.role === 'presenter') return nothing;
    const sessionId = this.sessionId;
    if (!(await this.questionQuota.take(sessionId, data.clientId))) {
      throw refusalError('question_quota', `you have asked ${this.questionQuota.maxPerPerson} questions in this session, the most one person can`, {
        count: this.questionQuota.maxPerPerson,
      });
    }
    return () => this.questionQuota.giveBack(sessionId, data.clientId);
  }

  /**
   * Gives a person a name for this session, or refuses it with the reason:
   * a name that looks like the presenter's, like a room-given guest name, or
   * like someone else's (names.ts). A presenter's own name is reserved.
   */
  async claimName(data: SocketData, name: string): Promise<void> {
    // Between talks (nothing live) names are compared among those who came meanwhile.
    const sessionId = this.session?.id ?? 0;
    if (data.role === 'presenter') return this.names.reservePresenterName(sessionId, name);
    const verdict = await this.names.claim(sessionId, data.authorId, name, guestName(data.authorId));
    if (verdict === 'presenter') throw refusalError('name_presenter', "that name looks like the presenter's: choose another");
    if (verdict === 'guest') throw refusalError('name_guest', 'names like Guest-AB12 are given by the room: choose another');
    if (verdict === 'taken') throw refusalError('name_taken', 'someone here already has that name (or one that looks like it): choose another');
  }

  /**
   * Refuses the vote of an identity beyond its address's budget for this
   * session (vote stuffing with invented clientIds); presenters always count.
   */
  async assertVoteCounts(socket: LiveSocket): Promise<void> {
    const { role, clientId, ip } = socket.data;
    if (role === 'presenter' || (await this.identities.counts(this.sessionId, clientId, ip))) return;
    throw refusalError('network_votes', 'too many phones from your network are voting in this session: yours cannot count');
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
    this.phones.updateQuestion(question.hidden ? { ...question, name: '', text: '' } : question);
    if (question.hidden !== this.hiddenIds.has(question.id)) void this.announceHidden();
  }

  private async announceHidden(): Promise<void> {
    try {
      const hidden = (await this.storage.listQuestions(this.sessionId)).filter((question) => question.hidden).map((question) => question.id);
      if (hidden.length === this.hiddenIds.size && hidden.every((id) => this.hiddenIds.has(id))) return;
      this.hiddenIds = new Set(hidden);
      this.io.to(PRESENTER_ROOM).emit('questions:hidden', { count: hidden.length });
      this.phones.setHidden(hidden.length);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not count hidden questions');
    }
  }

  // ------------------------------------------------------------ presence and reactions

  /** Where the votes on each question and poll come from (vote-shares.ts). */
  recordVote(data: SocketData, target: `question:${number}` | `poll:${string}`, voted: boolean): void {
    if (data.role === 'presenter' || !this.live) return;
    this.voteShares.record(this.live.session.id, target, data.clientId, data.ip, voted);
  }

  private unusualVotes() {
    return this.voteShares.unusual((ip) => this.phonesByAddress.get(ip) ?? 0, this.audience);
  }

  private announceUnusualVotes(): void {
    const targets = this.unusualVotes();
    const json = JSON.stringify(targets);
    if (json === this.announcedUnusual) return;
    this.announcedUnusual = json;
    this.io.local.to(PRESENTER_ROOM).emit('votes:unusual', { targets });
  }

  audienceJoined(socket: LiveSocket): void {
    this.audience++;
    this.phonesByAddress.set(socket.data.ip, (this.phonesByAddress.get(socket.data.ip) ?? 0) + 1);
    this.health.phoneJoined(socket);
    // One listener for every phone rather than a closure each; a socket says 'disconnect' once.
    socket.on('disconnect', this.audienceLeft);
  }

  /** Shared by every phone: Socket.IO calls it with the socket that left as `this`. */
  private readonly audienceLeft = ((room: TalkRoom) =>
    function (this: LiveSocket): void {
      room.audience--;
      const left = (room.phonesByAddress.get(this.data.ip) ?? 1) - 1;
      if (left > 0) room.phonesByAddress.set(this.data.ip, left);
      else room.phonesByAddress.delete(this.data.ip);
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
    const phoneTicks = Math.ceil(total / AUDIENCE_COUNT_PHONE_WRITES_PER_SECOND);
    this.ticksSincePhonesHeard++;
    const pouringIn = Math.abs(total - this.previousTickAudience) > Math.max(AUDIENCE_COUNT_STORM_CHANGE, total / 100);
    this.previousTickAudience = total;
    const due = this.ticksSincePhonesHeard >= (pouringIn ? Math.max(phoneTicks, AUDIENCE_COUNT_STORM_WAIT_TICKS) : phoneTicks);
    if (total !== this.announcedAudience && due) {
      this.announcedAudience = total;
      this.ticksSincePhonesHeard = 0;
      this.phones.setAudience(total);
    }
    if (total !== this.presentersHeardAudience) {
      this.presentersHeardAudience = total;
      // Scaled out, every process tells its own screens the room's total (a broadcast would repeat it once per process).
      (this.peers ? this.io.local : this.io).to(PRESENTER_ROOM).emit('audience:count', { n: total });
    }
    this.recordAudience(total);
  }

  /**
   * The report's audience curve and the session's peak: a sample when the
   * count changed, and one as a session starts (the room it starts with).
   * An ended session (its handout on the phones) no longer counts its room.
   */
  private recordAudience(total: number): void {
    const session = this.live?.session;
    if (!session || session.endedAt !== null) return;
    if (this.recorded?.sessionId === session.id && this.recorded.n === total) return;
    this.recorded = { sessionId: session.id, n: total };
    this.storage.recordAudience(session.id, total, this.now()).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not record the audience');
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
    // Presenter screens get every burst (the console counts every reaction); phones get the counts with their next batch.
    this.io.to(PRESENTER_ROOM).emit('reaction:burst', { counts });
    this.phones.addReactions(counts);
    // Counted against the slide on screen, for the report: one write per burst, not per reaction.
    const session = this.live?.session;
    if (!session) return;
    const { h, v } = session.control.slide;
    this.storage.addReactions(session.id, { h, v }, counts).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not record reactions');
    });
  }
}
