/**
 * Everything the console shows about the room and the presenter-controlled
 * state, rebuilt from each snapshot and kept current by events, in revision
 * order (revision-log.ts: an event heard before a snapshot read earlier
 * than it survives the snapshot). Panels subscribe and re-render from it;
 * none of them listens to the socket.
 */
import type { DriveRequest, DriveState, FollowPause, PaceBalance, Question, ReactionBurst, RoomHealth, TimerState, UnusualVotes } from '../shared/protocol';
import type { TalkPhase } from '../shared/pacing';
import { initialTimer } from '../shared/pacing';
import { addChat, applySnapshot, emptyRoomView, removeChat, updateQuestion, type RoomView } from '../shared/room-view';
import { RevisionLog } from '../lib/revision-log';
import type { LiveClient } from '../lib/socket';
import type { ServerClock } from './server-clock';

export interface ConsoleState {
  room: RoomView;
  timer: TimerState;
  blank: boolean;
  paused: FollowPause | null;
  pace: PaceBalance;
  /** Set by the timer panel as time passes, read by the Q&A panel. */
  phase: TalkPhase;
  /** Who drives the slides, who asks, and this console's own seat. */
  drive: DriveState & { you: DriveRequest; takeOverMs: number };
  health: RoomHealth | null;
  /** New questions wait for approval. */
  review: boolean;
  /** How many questions the room knows are hidden. */
  hiddenQuestions: number;
  /** How many questions there are in all: a join carries 200, `question:list` pages through the rest. */
  questionsTotal: number;
  /** Questions and polls where one network holds an unusual share of the votes. */
  unusualVotes: UnusualVotes[];
}

type Listener = (state: ConsoleState) => void;

export class ConsoleStore {
  private current: ConsoleState = {
    room: emptyRoomView(),
    timer: initialTimer,
    blank: false,
    paused: null,
    pace: { slower: 0, faster: 0 },
    phase: 'talk',
    drive: { driver: null, asking: null, you: { seat: '', name: '' }, takeOverMs: 30_000 },
    health: null,
    review: false,
    hiddenQuestions: 0,
    questionsTotal: 0,
    unusualVotes: [],
  };
  /** When the snapshot counted `questionsTotal`: a question asked since is one more. */
  private questionsCountedAt = 0;
  private readonly listeners: Listener[] = [];
  private readonly burstListeners: Array<(burst: ReactionBurst) => void> = [];
  private sessionId: number | null = null;
  private readonly revisions = new RevisionLog();

  constructor(private readonly clock: ServerClock) {}

  get state(): ConsoleState {
    return this.current;
  }

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
    listener(this.current);
  }

  onBurst(listener: (burst: ReactionBurst) => void): void {
    this.burstListeners.push(listener);
  }

  set(change: Partial<ConsoleState>): void {
    this.current = { ...this.current, ...change };
    for (const listener of this.listeners) listener(this.current);
  }

  /** A page of questions past what the join carried (`question:list`). */
  addQuestions(questions: Question[], total: number): void {
    let room = this.current.room;
    for (const question of questions) room = updateQuestion(room, question);
    // A page with nothing new: what the console holds is the whole list.
    this.set({ room, questionsTotal: room === this.current.room ? room.questions.size : total });
  }

  private setRoom(room: RoomView): void {
    this.set({ room });
  }

  attach(socket: LiveClient): void {
    socket.on('snapshot', (snapshot) =>
      this.revisions.snapshot(snapshot.rev, snapshot.sessionId, () => {
        this.clock.sync(snapshot.serverNow);
        const sameSession = this.sessionId === snapshot.sessionId;
        this.sessionId = snapshot.sessionId;
        this.questionsCountedAt = snapshot.serverNow;
        this.set({
          room: applySnapshot(this.current.room, snapshot, sameSession),
          timer: snapshot.timer,
          blank: snapshot.blank,
          paused: snapshot.paused,
          pace: snapshot.pace ?? { slower: 0, faster: 0 },
          ...(snapshot.drive ? { drive: snapshot.drive } : {}),
          health: snapshot.health ?? null,
          review: snapshot.review,
          hiddenQuestions: snapshot.hiddenQuestions,
          questionsTotal: snapshot.questionsTotal,
          unusualVotes: snapshot.unusualVotes ?? [],
        });
      }),
    );
    // State events, applied in revision order around snapshots.
    const revised =
      <T extends { rev?: number }>(apply: (payload: T, again: boolean) => void) =>
      (payload: T) =>
        this.revisions.event(payload.rev, (again) => apply(payload, again));
    socket.on(
      'drive:changed',
      revised(({ driver, asking }) => this.set({ drive: { ...this.current.drive, driver, asking } })),
    );
    socket.on(
      'moderation:changed',
      revised(({ review }) => this.set({ review })),
    );
    socket.on(
      'questions:hidden',
      revised(({ count }) => this.set({ hiddenQuestions: count })),
    );
    socket.on(
      'chat:message',
      revised(({ rev: _rev, ...message }) => this.setRoom(addChat(this.current.room, message))),
    );
    // A deleted message stays deleted: also when the snapshot is newer, since the chat keeps what the console held.
    socket.on('chat:deleted', ({ id, rev }) => this.revisions.always(rev, () => this.setRoom(removeChat(this.current.room, id))));
    socket.on(
      'chat:locked',
      revised(({ locked }) => this.setRoom({ ...this.current.room, chatLocked: locked })),
    );
    socket.on(
      'question:updated',
      revised(({ rev: _rev, ...question }) => {
        const asked = !this.current.room.questions.has(question.id) && question.ts >= this.questionsCountedAt;
        this.set({ room: updateQuestion(this.current.room, question), questionsTotal: this.current.questionsTotal + (asked ? 1 : 0) });
      }),
    );
    socket.on(
      'question:spotlight',
      revised(({ id }) => this.setRoom({ ...this.current.room, spotlight: id })),
    );
    socket.on(
      'timer:changed',
      revised(({ timer, serverNow }, again) => {
        // Applied again over a snapshot, its serverNow is from when it arrived, not now: only a live one sets the clock.
        if (!again) this.clock.sync(serverNow);
        this.set({ timer });
      }),
    );
    socket.on(
      'screen:changed',
      revised(({ blank, paused }) => this.set({ blank, paused })),
    );
    // The room as each process reads it now, sent again as it changes: the newest one heard is the truth.
    socket.on('room:health', (health) => this.set({ health }));
    socket.on('votes:unusual', ({ targets }) => this.set({ unusualVotes: targets }));
    socket.on('audience:count', ({ n }) => this.setRoom({ ...this.current.room, audience: n }));
    socket.on('pace:balance', (pace) => this.set({ pace }));
    socket.on('reaction:burst', (burst) => {
      for (const listener of this.burstListeners) listener(burst);
    });
  }
}
