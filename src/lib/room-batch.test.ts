import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, RoomBatch } from '../shared/protocol';
import { eventsOf, unpackBatches } from './room-batch';

const message = (id: number): ChatMessage => ({ id, authorId: 'a', name: 'Ann', text: `m${id}`, ts: id });

describe('room batches on the client', () => {
  it('stand for the events they carry, in the documented order', () => {
    const batch = { audience: 5, reactions: { '👍': 2 }, chat: [message(1), message(2)], hidden: 1 } as RoomBatch;
    expect(eventsOf(batch)).toEqual([
      ['chat:message', message(1)],
      ['chat:message', message(2)],
      ['questions:hidden', { count: 1 }],
      ['reaction:burst', { counts: { '👍': 2 } }],
      ['audience:count', { n: 5 }],
    ]);
    expect(eventsOf({})).toEqual([]);
  });

  it('reach the listeners of those events, as single events would', () => {
    const socket = new EventEmitter();
    unpackBatches(socket as never);
    const heard: string[] = [];
    socket.on('chat:message', (m: ChatMessage) => heard.push(m.text));
    socket.on('audience:count', ({ n }: { n: number }) => heard.push(`n=${n}`));
    socket.emit('room:batch', { chat: [message(1), message(2)], audience: 3 } satisfies RoomBatch);
    socket.emit('chat:message', message(3));
    expect(heard).toEqual(['m1', 'm2', 'n=3', 'm3']);
  });
});
