/**
 * Snapshots: the whole room as one viewer may see it, sent as a screen
 * joins (connection.ts) and again to every screen of this process when the
 * talk or the session on the screens changes.
 */
import { CHAT_HISTORY, CHAT_RESYNC_MAX } from '../../src/shared/limits.js';
import { PROTOCOL_VERSION, type ChatMessage, type Question, type QuestionView, type Snapshot, type SocketData } from '../../src/shared/protocol.js';
import { initialTalkState, type TalkState } from '../../src/shared/talk-state.js';
import type { SessionRecord, TalkStorage, VoterRecord } from '../storage/storage.js';
import type { HeldPeople } from './held-people.js';
import type { LivePolls, PollViews } from './live-polls.js';
import type { LiveServer } from './live-server.js';
import type { LiveTalk } from './live-talk.js';
import type { PaceVotes } from './pace-votes.js';
import type { PresenterPresence } from './presenter-presence.js';
import type { RevisionClock } from './revisions.js';
import { joinQuestions } from './question-window.js';
import type { RoomHealth } from './room-health.js';
import type { RoomVotes } from './room-votes.js';
import type { SessionNames } from './session-names.js';

/**
 * A question as a viewer who has not voted for it sees it: the same for
 * every such viewer, so storage's frozen question (shared until the next
 * commit) gets one frozen view, made once, whose JSON the snapshot's
 * encoder keeps too (encodeSnapshot in connection.ts). A question storage
 * does not freeze gets a view of its own each time.
 */
const notVotedViews = new WeakMap<Question, QuestionView>();
function notVoted(question: Question): QuestionView {
  if (!Object.isFrozen(question)) return { ...question, voted: false };
  let view = notVotedViews.get(question);
  if (!view) {
    view = Object.freeze({ ...question, voted: false });
    notVotedViews.set(question, view);
  }
  return view;
}

/** Chat ids before a resuming phone's last-seen one that come again when scaled out (see chatFor). */
const SCALED_OUT_CHAT_OVERLAP = 20;

type SnapshotReads = [ChatMessage[], Question[], VoterRecord, PollViews, Pick<Snapshot, 'held' | 'waiting'>, TalkState];

/** Before any session was opened there is nothing to read. */
const NO_SESSION_READS: Readonly<SnapshotReads> = [
  [],
  [],
  { questions: [], polls: [], entries: [] },
  { polls: [], clouds: [], texts: [] },
  {},
  initialTalkState,
];

export interface RoomSnapshotsDeps {
  io: LiveServer;
  storage: TalkStorage;
  now: () => number;
  /** Several processes share the storage and the Socket.IO adapter (Redis). */
  scaledOut: boolean;
  live: LiveTalk;
  polls: LivePolls;
  held: HeldPeople;
  paceVotes: PaceVotes;
  health: RoomHealth;
  presence: PresenterPresence;
  votes: RoomVotes;
  names: SessionNames;
  /** Phones in the room. */
  roomAudience: () => number;
  /** How long a driver's screens must be gone before another seat may take over. */
  takeOverMs: number;
  revisions: RevisionClock;
  /** This process's control state holds changes storage does not have yet (storage was failing): it is the truth, not storage. */
  controlUnsaved: () => boolean;
}

export class RoomSnapshots {
  constructor(private readonly deps: RoomSnapshotsDeps) {}

  async snapshotFor(data: SocketData): Promise<Snapshot> {
    const { live, now } = this.deps;
    // Before the first read: an event stamped later may be missing from what follows (revision-log.ts re-applies it).
    const rev = this.deps.revisions.next();
    const talk = live.liveTalk;
    const session = live.session;
    const sessionId = session?.id;
    const [chat, questions, viewer, polls, held, control] = session ? await this.readsFor(session, data) : NO_SESSION_READS;
    const voted = new Set(viewer.questions);
    // Bounded whatever the history; phones see published questions, and their own while they wait for approval.
    const joined = joinQuestions(questions, data, control.spotlight);
    return {
      protocol: PROTOCOL_VERSION,
      rev,
      role: data.role,
      talkId: talk?.id ?? null,
      ended: session ? session.endedAt !== null : false,
      slide: control.slide,
      chat,
      questions: joined.questions.map((question) => (voted.has(question.id) ? { ...question, voted: true } : notVoted(question))),
      questionsTotal: joined.total,
      spotlight: control.spotlight,
      chatLocked: control.chatLocked,
      audience: this.deps.roomAudience(),
      me: { authorId: data.authorId, name: data.name },
      sessionId: sessionId ?? 0,
      timer: control.timer,
      serverNow: now(),
      blank: control.blank,
      paused: control.paused,
      ...(data.role === 'presenter'
        ? {
            pace: this.deps.paceVotes.balance(now()),
            drive: { driver: control.driver, asking: control.asking, you: data.seat ?? { seat: '', name: '' }, takeOverMs: this.deps.takeOverMs },
            health: this.deps.health.summary(),
            unusualVotes: this.deps.votes.unusual(),
          }
        : {}),
      ...held,
      ...polls,
      hiddenQuestions: questions.filter((question) => question.hidden).length,
      review: live.reviewIn(control),
      presenterOnline: this.deps.presence.online,
    };
  }

  /** Every screen of this process gets a fresh snapshot, each name carried into the session now on the screens. */
  async resend(): Promise<void> {
    const sockets = await this.deps.io.local.fetchSockets();
    // Presenter screens first: their names are reserved before any phone's is weighed against them.
    const ordered = [...sockets.filter((socket) => socket.data.role === 'presenter'), ...sockets.filter((socket) => socket.data.role !== 'presenter')];
    for (const socket of ordered) {
      await this.deps.names.carry(socket.data);
      socket.emit('snapshot', await this.snapshotFor(socket.data));
    }
  }

  /** What a snapshot reads from storage, all at once; the viewer's own votes and entries are one read. */
  private readsFor(session: SessionRecord, data: SocketData): Promise<SnapshotReads> {
    const sessionId = session.id;
    const viewer = this.deps.storage.voterRecord(sessionId, data.clientId);
    return Promise.all([
      this.chatFor(sessionId, data.lastChatId),
      this.deps.storage.listQuestions(sessionId),
      viewer,
      this.deps.polls.viewsFor(sessionId, viewer, data.role),
      this.heldViewFor(data),
      this.controlFor(session),
    ]);
  }

  /**
   * The control state (slide, lock, spotlight, pause, timer, driver, review)
   * as of the snapshot's revision. One process reads its own copy: every
   * change goes through it. Scaled out, this process's copy follows another
   * process's change only once the change's announcement has arrived and
   * been caught up with, while the change's events may already have reached
   * this process's screens, or may arrive after a snapshot stamped later
   * than them (and be skipped as held by it): so the snapshot reads it from
   * storage, like the rest of the room, after its revision was taken. Which
   * session is on the screens, and whether it ended, still follows the
   * catch-up, which sends every screen a snapshot of the new one.
   */
  private async controlFor(session: SessionRecord): Promise<TalkState> {
    if (!this.deps.scaledOut || this.deps.controlUnsaved()) return session.control;
    const stored = await this.deps.storage.getSession(session.id);
    return stored?.control ?? session.control;
  }

  /** Presenters see who is held; a held phone sees its own waiting messages. */
  private async heldViewFor(data: SocketData): Promise<Pick<Snapshot, 'held' | 'waiting'>> {
    if (data.role === 'presenter') return { held: await this.deps.held.list() };
    const waiting = await this.deps.held.waitingFor(data);
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
      const from = this.deps.scaledOut ? Math.max(0, lastChatId - SCALED_OUT_CHAT_OVERLAP) : lastChatId;
      const missed = await this.deps.storage.chatSince(sessionId, from, CHAT_RESYNC_MAX + 1);
      if (missed.length <= CHAT_RESYNC_MAX) return missed;
    }
    return this.deps.storage.recentChat(sessionId, CHAT_HISTORY);
  }
}
