/** The console's store against snapshots and events in an order the network may give them. */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { LiveClient } from '../lib/socket';
import type { ChatMessage, Snapshot, TimerState } from '../shared/protocol';
import { ConsoleStore } from './console-store';
import { ServerClock } from './server-clock';

const message = (id: number): ChatMessage => ({ id, authorId: 'someone', name: 'Ann', text: `m${id}`, ts: id });
const snapshot = (rev: number, chat: ChatMessage[]) =>
  ({
    rev,
    sessionId: 1,
    serverNow: 1_000,
    chat,
    questions: [],
    questionsTotal: 0,
    spotlight: null,
    chatLocked: false,
    audience: 0,
    timer: { startedAt: null, accumulatedMs: 0, running: false },
    blank: false,
    paused: null,
    hiddenQuestions: 0,
    review: false,
  }) as Partial<Snapshot> as Snapshot;

describe('ConsoleStore', () => {
  it('removes a message the console held when its deletion, older than the snapshot, arrives after it', () => {
    const socket = new EventEmitter();
    const store = new ConsoleStore(new ServerClock());
    store.attach(socket as unknown as LiveClient);
    socket.emit('snapshot', snapshot(100, [message(1), message(2)]));
    // Read after the deletion committed (scaled out, relayed late): the message is not in it, but the chat kept it.
    socket.emit('snapshot', snapshot(200, [message(2)]));
    socket.emit('chat:deleted', { id: 1, rev: 180 });
    expect(store.state.room.chat.map((known) => known.id)).toEqual([2]);
  });
  it('syncs the server clock from a live timer change, not from one applied again over a snapshot', () => {
    const localNow = 1_800_000_000_000;
    const stopped: TimerState = { startedAt: null, accumulatedMs: 0, running: false };
    const at = (rev: number, serverNow: number) => ({ ...snapshot(rev, []), serverNow, timer: stopped });
    vi.useFakeTimers({ now: localNow });
    try {
      const socket = new EventEmitter();
      const clock = new ServerClock();
      const store = new ConsoleStore(clock);
      store.attach(socket as unknown as LiveClient);
      socket.emit('snapshot', at(10, localNow));
      expect(clock.now()).toBe(localNow);
      // The presenter starts the timer; the server's clock is a minute ahead of this laptop's.
      const started: TimerState = { startedAt: localNow + 60_000, accumulatedMs: 0, running: true };
      socket.emit('timer:changed', { rev: 12, timer: started, serverNow: localNow + 60_000 });
      expect(clock.now()).toBe(localNow + 60_000);
      // Thirty seconds on, a snapshot read before that change arrives (scaled out, relayed late): the change is
      // applied again over it, but the time it carried is thirty seconds old.
      vi.setSystemTime(localNow + 30_000);
      socket.emit('snapshot', at(11, localNow + 90_000));
      expect(store.state.timer).toEqual(started);
      expect(clock.now()).toBe(localNow + 90_000);
    } finally {
      vi.useRealTimers();
    }
  });
});
