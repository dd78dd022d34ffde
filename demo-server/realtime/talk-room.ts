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
import type { Server } from 'socket.io';
import { CHAT_HISTORY, type Reaction } from '../../src/shared/limits.js';
import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type InterServerEvents,
  type Question,
  type ServerToClientEvents,
  type Snapshot,
  type SocketData,
} from '../../src/shared/protocol.js';
import { reduceTalk, type TalkAction, type TalkState } from '../../src/shared/talk-state.js';
import type { SessionRecord, TalkStorage } from '../storage/storage.js';
import type { Talk } from '../talk/load-talk.js';
import type { LiveSocket } from './handler.js';

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export const AUDIENCE_ROOM = 'audience';
export const PRESENTER_ROOM = 'presenter';
const AUDIENCE_COUNT_INTERVAL_MS = 1000;
const REACTION_INTERVAL_MS = 250;

export interface TalkRoomDeps {
  talk: Talk;
  storage: TalkStorage;
  io: LiveServer;
  logger: Logger;
  now?: () => number;
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
  private announcedAudience = -1;
  private pendingReactions = new Map<Reaction, number>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(deps: TalkRoomDeps) {
    this.talk = deps.talk;
    this.storage = deps.storage;
    this.io = deps.io;
    this.logger = deps.logger;
    this.now = deps.now ?? Date.now;
  }

  async open(): Promise<void> {
    this.authorSecret = await this.storage.getOrCreateSecret('author-id', () => crypto.randomBytes(32).toString('hex'));
    this.session = await this.storage.openSession(this.talk.id, this.now());
    this.timers.push(
      setInterval(() => this.announceAudience(), AUDIENCE_COUNT_INTERVAL_MS).unref(),
      setInterval(() => this.flushReactions(), REACTION_INTERVAL_MS).unref(),
    );
  }

  close(): void {
    for (const timer of this.timers) clearInterval(timer);
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

  /** Applies a presenter action: serialized, persisted, then broadcast. */
  changeControl(action: TalkAction): Promise<TalkState> {
    const next = this.controlQueue.then(async () => {
      const before = this.session.control;
      const after = reduceTalk(before, action);
      if (after === before) return before;
      await this.storage.saveControl(this.session.id, after);
      this.session = { ...this.session, control: after };
      this.broadcastControl(before, after);
      return after;
    });
    this.controlQueue = next.catch(() => undefined);
    return next;
  }

  private broadcastControl(before: TalkState, after: TalkState): void {
    if (after.slide !== before.slide) this.io.emit('slide:changed', after.slide);
    if (after.chatLocked !== before.chatLocked) this.io.emit('chat:locked', { locked: after.chatLocked });
    if (after.spotlight !== before.spotlight) this.io.emit('question:spotlight', { id: after.spotlight });
  }

  /** Starts a fresh session (the presenter's "new session"); every client gets a new snapshot. */
  async startNewSession(): Promise<SessionRecord> {
    await this.controlQueue;
    this.session = await this.storage.startSession(this.talk.id, this.now());
    await this.resendSnapshots();
    return this.session;
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
    const [chat, questions, votes] = await Promise.all([
      this.storage.recentChat(this.session.id, CHAT_HISTORY),
      this.storage.listQuestions(this.session.id),
      this.storage.votesOf(this.session.id, data.clientId),
    ]);
    const voted = new Set(votes);
    const visible = data.role === 'presenter' ? questions : questions.filter((question) => !question.hidden);
    return {
      protocol: PROTOCOL_VERSION,
      role: data.role,
      slide: this.session.control.slide,
      chat,
      questions: visible.map((question) => ({ ...question, voted: voted.has(question.id) })),
      spotlight: this.session.control.spotlight,
      chatLocked: this.session.control.chatLocked,
      audience: this.audience,
      me: { authorId: data.authorId, name: data.name },
      sessionId: this.session.id,
    };
  }

  /** Hidden questions reach phones without their text: they disappear, nothing leaks. */
  broadcastQuestion(question: Question): void {
    this.io.to(PRESENTER_ROOM).emit('question:updated', question);
    const forAudience = question.hidden ? { ...question, name: '', text: '' } : question;
    this.io.to(AUDIENCE_ROOM).emit('question:updated', forAudience);
  }

  // ------------------------------------------------------------ presence and reactions

  audienceJoined(socket: LiveSocket): void {
    this.audience++;
    socket.once('disconnect', () => this.audience--);
  }

  get audienceCount(): number {
    return this.audience;
  }

  private announceAudience(): void {
    if (this.audience === this.announcedAudience) return;
    this.announcedAudience = this.audience;
    this.io.emit('audience:count', { n: this.audience });
    this.storage.notePeakAudience(this.session.id, this.audience).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not record audience peak');
    });
  }

  addReaction(emoji: Reaction): void {
    this.pendingReactions.set(emoji, (this.pendingReactions.get(emoji) ?? 0) + 1);
  }

  private flushReactions(): void {
    if (this.pendingReactions.size === 0) return;
    const counts = Object.fromEntries(this.pendingReactions);
    this.pendingReactions = new Map();
    // Volatile: a phone that is behind skips a burst rather than queueing it.
    this.io.volatile.emit('reaction:burst', { counts });
  }
}
