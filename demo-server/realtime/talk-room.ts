/**
 * The live talk on this server, as the rest of the server sees it: one
 * object built from one module per concern, which it wires together and
 * speaks for.
 *
 * - live-talk.ts: which talk and session are live; switching talks,
 *   starting and ending sessions, and catching up with other processes.
 * - control-changes.ts: presenter actions, serialized, persisted, then
 *   broadcast (and kept while storage is failing).
 * - room-snapshots.ts: what a joining screen is sent.
 * - room-broadcasts.ts: what screens hear, phones in batches.
 * - room-questions.ts, room-votes.ts, session-names.ts, room-audience.ts,
 *   room-feedback.ts: questions, votes, names, the audience count, and
 *   reactions and pace.
 */
import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { DEFAULT_QUESTIONS_PER_PERSON, DRIVER_TAKEOVER_MS, type Reaction } from '../../src/shared/limits.js';
import type { ChatMessage, Question, QuestionView, ServerToClientEvents, Snapshot, SocketData } from '../../src/shared/protocol.js';
import type { TalkAction, TalkState } from '../../src/shared/talk-state.js';
import { DEFAULT_IDENTITIES_PER_IP } from '../options.js';
import type { SessionRecord, TalkStorage } from '../storage/storage.js';
import type { Talk } from '../talk/load-talk.js';
import { ControlChanges } from './control-changes.js';
import type { RoomStage } from './event-guards.js';
import { HeldPeople } from './held-people.js';
import { IdentityBudget } from './identity-budget.js';
import { LivePolls } from './live-polls.js';
import { PRESENTER_ROOM, type LiveServer, type LiveSocket } from './live-server.js';
import { LiveTalk } from './live-talk.js';
import { NameRegistry } from './names.js';
import { PaceVotes } from './pace-votes.js';
import { PeerLoss } from './peer-loss.js';
import { Peers, SharedPaceVotes } from './peers.js';
import type { PhoneBatches } from './phone-batches.js';
import { PresenterPresence } from './presenter-presence.js';
import { QuestionQuota } from './question-quota.js';
import { RaceTrack } from './race-track.js';
import { RoomAudience } from './room-audience.js';
import { RoomBroadcasts } from './room-broadcasts.js';
import { RoomFeedback } from './room-feedback.js';
import { RoomHealth } from './room-health.js';
import { RoomQuestions } from './room-questions.js';
import { RoomSnapshots } from './room-snapshots.js';
import { RoomVotes } from './room-votes.js';
import { SessionNames } from './session-names.js';

const AUDIENCE_COUNT_INTERVAL_MS = 1000;
const REACTION_INTERVAL_MS = 250;
/** The console hears the room's pace at most once a second. */
const PACE_INTERVAL_MS = 1000;
/** Presenters hear about unusual vote shares at most once a second. */
const UNUSUAL_VOTES_INTERVAL_MS = 1000;

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
  readonly now: () => number;
  private authorSecret = '';
  private readonly timers: NodeJS.Timeout[] = [];
  readonly paceVotes: PaceVotes;
  /** Several processes share the storage and the Socket.IO adapter (Redis). */
  readonly scaledOut: boolean;
  /** The other processes, when scaled out. */
  private readonly peers: Peers | undefined;
  private readonly live: LiveTalk;
  private readonly controlChanges: ControlChanges;
  private readonly broadcasts: RoomBroadcasts;
  private readonly snapshots: RoomSnapshots;
  private readonly questions: RoomQuestions;
  private readonly votes: RoomVotes;
  private readonly names: SessionNames;
  private readonly audience: RoomAudience;
  private readonly feedback: RoomFeedback;
  /** What this process's screens are sent again when another process is gone (scaled out). */
  private readonly peerLoss: PeerLoss;
  /** The talk's polls (votes live in storage, with the session). */
  readonly polls: LivePolls;
  /** The race demo's pings (memory only). */
  readonly race: RaceTrack;
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

  constructor(deps: TalkRoomDeps) {
    const { storage, io, logger } = deps;
    const now = deps.now ?? Date.now;
    const scaledOut = deps.scaledOut !== undefined;
    this.scaledOut = scaledOut;
    this.storage = storage;
    this.now = now;
    this.takeOverMs = deps.takeOverMs ?? DRIVER_TAKEOVER_MS;
    if (deps.scaledOut) {
      const paceVotes = new SharedPaceVotes((clientId, dir, at) => this.peers?.paceVote(clientId, dir, at));
      this.paceVotes = paceVotes;
      this.peers = new Peers(
        io,
        {
          controlChanged: () => void this.catchUp(),
          sessionChanged: () => void this.catchUp(),
          paceVote: (clientId, dir, at) => paceVotes.receive(clientId, dir, at),
          peerGone: (lastHeard) => void this.peerLoss.resend(lastHeard),
        },
        now,
        deps.scaledOut.connected,
      );
    } else {
      this.paceVotes = new PaceVotes();
    }
    const peers = this.peers;
    this.live = new LiveTalk({
      storage,
      findTalk: deps.findTalk,
      logger,
      now,
      peers,
      resendSnapshots: () => this.resendSnapshots(),
      sessionLeft: () => {
        // What was waiting for the old session (unsaved control changes, coalesced question updates) went with it.
        this.controlChanges.forgetUnsaved();
        this.questions.discard();
        this.phones.discard();
      },
    });
    const session = () => this.live.session;
    const sessionId = () => this.live.sessionId;
    this.broadcasts = new RoomBroadcasts(io, scaledOut, () => this.roomAudience, now);
    this.phones = this.broadcasts.phones;
    this.peerLoss = new PeerLoss({
      io,
      storage,
      logger,
      session: () => (this.live.session ? { id: this.live.session.id, open: this.live.stage === 'live' } : null),
      phones: this.phones,
      revisions: this.broadcasts.revisions,
    });
    this.presence = new PresenterPresence(io, () => this.presentersElsewhere());
    this.held = new HeldPeople({
      storage,
      io,
      logger,
      sessionId,
      now,
      authorIdOf: (clientId) => this.authorIdOf(clientId),
      addressKeyOf: (ip) => this.addressKeyOf(ip),
    });
    this.polls = new LivePolls({ ...deps, now, talk: () => this.live.liveTalk, sessionId, phones: this.phones, revisions: this.broadcasts.revisions });
    this.race = new RaceTrack(io, deps.scaledOut);
    this.health = new RoomHealth({
      now,
      phones: () => this.roomAudience,
      publish: (health) => io.to(PRESENTER_ROOM).emit('room:health', health),
    });
    this.controlChanges = new ControlChanges({ live: this.live, storage, io, logger, now, peers, broadcasts: this.broadcasts, health: this.health });
    this.audience = new RoomAudience({ io, storage, logger, now, peers, phones: this.phones, health: this.health, session });
    this.votes = new RoomVotes({
      io,
      identities: deps.identities ?? new IdentityBudget(DEFAULT_IDENTITIES_PER_IP),
      audience: this.audience,
      session,
      sessionId,
    });
    this.questions = new RoomQuestions({
      io,
      storage,
      logger,
      now,
      phones: this.phones,
      quota: deps.questionQuota ?? new QuestionQuota(DEFAULT_QUESTIONS_PER_PERSON),
      sessionId,
      revisions: this.broadcasts.revisions,
    });
    this.names = new SessionNames(deps.names ?? new NameRegistry(), () => this.live.session?.id ?? 0, logger);
    this.feedback = new RoomFeedback({ io, storage, logger, now, scaledOut, phones: this.phones, paceVotes: this.paceVotes, session });
    this.snapshots = new RoomSnapshots({
      io,
      storage,
      now,
      scaledOut,
      live: this.live,
      polls: this.polls,
      held: this.held,
      paceVotes: this.paceVotes,
      health: this.health,
      presence: this.presence,
      votes: this.votes,
      names: this.names,
      roomAudience: () => this.roomAudience,
      takeOverMs: this.takeOverMs,
      revisions: this.broadcasts.revisions,
      controlUnsaved: () => this.controlChanges.holdsUnsaved,
    });
  }

  /**
   * Makes `talk` live as the server starts (null: the one chosen failed to
   * load, and the presenter picks one from the home). A session another
   * talk left open (the server presented it before this start) ends.
   */
  async open(talk: Talk | null): Promise<void> {
    this.authorSecret = await this.storage.getOrCreateSecret('author-id', () => crypto.randomBytes(32).toString('hex'));
    if (talk) await this.live.goLive(talk);
    this.timers.push(
      setInterval(() => this.audience.announce(), AUDIENCE_COUNT_INTERVAL_MS).unref(),
      setInterval(() => this.feedback.flushReactions(), REACTION_INTERVAL_MS).unref(),
      setInterval(() => this.feedback.announcePace(), PACE_INTERVAL_MS).unref(),
      setInterval(() => this.votes.announceUnusual(), UNUSUAL_VOTES_INTERVAL_MS).unref(),
    );
  }

  close(): void {
    this.controlChanges.close();
    this.health.close();
    for (const timer of this.timers) clearInterval(timer);
    this.polls.close();
    this.questions.discard();
    this.phones.discard();
  }

  // ------------------------------------------------------------ the live talk and its session (live-talk.ts)

  /** The live talk; handlers only run while one is (handler.ts checks the stage first). */
  get talk(): Talk {
    return this.live.talk;
  }

  get liveTalk(): Talk | null {
    return this.live.liveTalk;
  }

  /** The session on the room's screens: open, or ended (its handout). */
  get sessionId(): number {
    return this.live.sessionId;
  }

  get session(): SessionRecord | null {
    return this.live.session;
  }

  get stage(): RoomStage {
    return this.live.stage;
  }

  get control(): TalkState {
    return this.live.control;
  }

  /** Whether new questions wait for approval: the presenter's choice, else the talk's front matter. */
  get review(): boolean {
    return this.live.review;
  }

  switchTalk(talk: Talk): Promise<SessionRecord> {
    return this.live.switchTalk(talk);
  }

  startNewSession(): Promise<SessionRecord> {
    return this.live.startNewSession();
  }

  endSession(): Promise<number> {
    return this.live.endSession();
  }

  catchUp(): Promise<void> {
    return this.live.catchUp();
  }

  caughtUp(): Promise<void> {
    return this.live.caughtUp();
  }

  /** Applies a presenter action: serialized, persisted, then broadcast (control-changes.ts). */
  changeControl(action: TalkAction): Promise<TalkState> {
    return this.controlChanges.change(action);
  }

  // ------------------------------------------------------------ people

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

  claimName(data: SocketData, name: string): Promise<void> {
    return this.names.claim(data, name);
  }

  assertVoteCounts(socket: LiveSocket): Promise<void> {
    return this.votes.assertCounts(socket);
  }

  recordVote(data: SocketData, target: `question:${number}` | `poll:${string}`, voted: boolean): void {
    this.votes.record(data, target, voted);
  }

  // ------------------------------------------------------------ what screens are sent

  snapshotFor(data: SocketData): Promise<Snapshot> {
    return this.snapshots.snapshotFor(data);
  }

  resendSnapshots(): Promise<void> {
    return this.snapshots.resend();
  }

  broadcast<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    this.broadcasts.broadcast(event, ...args);
  }

  /** The next revision, for a state event sent after its commit (revisions.ts). */
  nextRevision(): number {
    return this.broadcasts.revisions.next();
  }

  publishChat(message: ChatMessage, sender?: LiveSocket): void {
    this.broadcasts.publishChat(message, sender);
  }

  questionPage(data: SocketData, offset: number): Promise<{ questions: QuestionView[]; total: number }> {
    return this.questions.page(data, offset);
  }

  takeQuestion(data: SocketData): Promise<() => Promise<void>> {
    return this.questions.take(data);
  }

  broadcastQuestion(question: Question): void {
    this.questions.broadcast(question);
  }

  addReaction(emoji: Reaction): void {
    this.feedback.addReaction(emoji);
  }

  // ------------------------------------------------------------ the audience (room-audience.ts)

  audienceJoined(socket: LiveSocket): void {
    this.audience.joined(socket);
  }

  /** Phones connected to this process. */
  get audienceCount(): number {
    return this.audience.count;
  }

  /** Phones in the room: this process's plus, scaled out, what the others last reported. */
  get roomAudience(): number {
    return this.audience.room;
  }

  /** Presenter screens on the other processes (scaled out; 0 otherwise). */
  presentersElsewhere(): number {
    return this.peers?.presentersElsewhere() ?? 0;
  }
}
