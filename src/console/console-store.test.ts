/** The console's store against a deletion that arrives after a newer snapshot of the same session. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { LiveClient } from '../lib/socket';
import type { ChatMessage, Snapshot } from '../shared/protocol';
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
});
