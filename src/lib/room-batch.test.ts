import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, PollResults, RoomBatch, TextBoard, WordCloud } from '../shared/protocol';
import { eventsOf, unpackBatches } from './room-batch';

const message = (id: number): ChatMessage => ({ id, authorId: 'a', name: 'Ann', text: `m${id}`, ts: id });
const results: PollResults = { poll: 'p', counts: [1, 0], total: 1, closed: false };
const cloud: WordCloud = { poll: 'w', words: [{ key: 'fast', text: 'Fast', count: 1 }], total: 1, entries: 1, closed: false };
const board: TextBoard = { poll: 't', closed: false, show: { mode: 'list' }, count: 1, entries: 1, shown: [{ id: 1, authorId: 'a', text: 'hi' }] };

describe('room batches on the client', () => {
  it('stand for the events they carry, in the documented order', () => {
    const batch = {
      audience: 5,
      boards: [board],
      reactions: { '👍': 2 },
      clouds: [cloud],
      polls: [results],
      chat: [message(1), message(2)],
      hidden: 1,
    } as RoomBatch;
    expect(eventsOf(batch)).toEqual([
      ['chat:message', message(1)],
      ['chat:message', message(2)],
      ['questions:hidden', { count: 1 }],
      ['poll:results', results],
      ['words:cloud', cloud],
      ['text:board', board],
      ['reaction:burst', { counts: { '👍': 2 } }],
      ['audience:count', { n: 5 }],
    ]);
    expect(eventsOf({})).toEqual([]);
  });

  it('give every state event the batch’s revision, and none to reactions and the count', () => {
    const batch: RoomBatch = { chat: [message(1)], hidden: 2, polls: [results], reactions: { '👍': 1 }, audience: 4, rev: 1_700 };
    expect(eventsOf(batch)).toEqual([
      ['chat:message', { ...message(1), rev: 1_700 }],
      ['questions:hidden', { count: 2, rev: 1_700 }],
      ['poll:results', { ...results, rev: 1_700 }],
      ['reaction:burst', { counts: { '👍': 1 } }],
      ['audience:count', { n: 4 }],
    ]);
    expect(eventsOf({ audience: 4 })).toEqual([['audience:count', { n: 4 }]]);
  });

  it('reach the listeners of those events, as single events would', () => {
    const socket = new EventEmitter();
    unpackBatches(socket as never);
    const heard: string[] = [];
    socket.on('chat:message', (m: ChatMessage) => heard.push(m.text));
    socket.on('audience:count', ({ n }: { n: number }) => heard.push(`n=${n}`));
    socket.on('words:cloud', (heardCloud: WordCloud) => heard.push(`cloud ${heardCloud.poll}`));
    socket.on('text:board', (heardBoard: TextBoard) => heard.push(`board ${heardBoard.poll}`));
    socket.emit('room:batch', { chat: [message(1), message(2)], clouds: [cloud], boards: [board], audience: 3 } satisfies RoomBatch);
    socket.emit('chat:message', message(3));
    socket.emit('words:cloud', cloud);
    expect(heard).toEqual(['m1', 'm2', 'cloud w', 'board t', 'n=3', 'm3', 'cloud w']);
  });
});
