/**
 * Everything the console shows about the room and the presenter-controlled
 * state, rebuilt from each snapshot and kept current by events. Panels
 * subscribe and re-render from it; none of them listens to the socket.
 */
import type { DriveRequest, DriveState, FollowPause, PaceBalance, Question, ReactionBurst, RoomHealth, TimerState, UnusualVotes } from '../shared/protocol';
import type { TalkPhase } from '../shared/pacing';
import { initialTimer } from '../shared/pacing';
import { addChat, applySnapshot, emptyRoomView, removeChat, updateQuestion, type RoomView } from '../shared/room-view';
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
    socket.on('snapshot', (snapshot) => {
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
    });
    socket.on('drive:changed', (drive) => this.set({ drive: { ...this.current.drive, ...drive } }));
    socket.on('room:health', (health) => this.set({ health }));
    socket.on('moderation:changed', ({ review }) => this.set({ review }));
    socket.on('questions:hidden', ({ count }) => this.set({ hiddenQuestions: count }));
    socket.on('votes:unusual', ({ targets }) => this.set({ unusualVotes: targets }));
    socket.on('chat:message', (message) => this.setRoom(addChat(this.current.room, message)));
    socket.on('chat:deleted', ({ id }) => this.setRoom(removeChat(this.current.room, id)));
    socket.on('chat:locked', ({ locked }) => this.setRoom({ ...this.current.room, chatLocked: locked }));
    socket.on('question:updated', (question) => {
      const asked = !this.current.room.questions.has(question.id) && question.ts >= this.questionsCountedAt;
      this.set({ room: updateQuestion(this.current.room, question), questionsTotal: this.current.questionsTotal + (asked ? 1 : 0) });
    });
    socket.on('question:spotlight', ({ id }) => this.setRoom({ ...this.current.room, spotlight: id }));
    socket.on('audience:count', ({ n }) => this.setRoom({ ...this.current.room, audience: n }));
    socket.on('timer:changed', ({ timer, serverNow }) => {
      this.clock.sync(serverNow);
      this.set({ timer });
    });
    socket.on('screen:changed', ({ blank, paused }) => this.set({ blank, paused }));
    socket.on('pace:balance', (pace) => this.set({ pace }));
    socket.on('reaction:burst', (burst) => {
      for (const listener of this.burstListeners) listener(burst);
    });
  }
}
