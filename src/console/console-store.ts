/**
 * Everything the console shows about the room and the presenter-controlled
 * state, rebuilt from each snapshot and kept current by events. Panels
 * subscribe and re-render from it; none of them listens to the socket.
 */
import type { FollowPause, PaceBalance, ReactionBurst, TimerState } from '../shared/protocol';
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
  };
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

  private setRoom(room: RoomView): void {
    this.set({ room });
  }

  attach(socket: LiveClient): void {
    socket.on('snapshot', (snapshot) => {
      this.clock.sync(snapshot.serverNow);
      const sameSession = this.sessionId === snapshot.sessionId;
      this.sessionId = snapshot.sessionId;
      this.set({
        room: applySnapshot(this.current.room, snapshot, sameSession),
        timer: snapshot.timer,
        blank: snapshot.blank,
        paused: snapshot.paused,
        pace: snapshot.pace ?? { slower: 0, faster: 0 },
      });
    });
    socket.on('chat:message', (message) => this.setRoom(addChat(this.current.room, message)));
    socket.on('chat:deleted', ({ id }) => this.setRoom(removeChat(this.current.room, id)));
    socket.on('chat:locked', ({ locked }) => this.setRoom({ ...this.current.room, chatLocked: locked }));
    socket.on('question:updated', (question) => this.setRoom(updateQuestion(this.current.room, question)));
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
