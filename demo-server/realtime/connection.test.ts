import { describe, expect, it } from 'vitest';
import type { ChatMessage, QuestionView, Snapshot } from '../../src/shared/protocol.js';
import { encodeSnapshot } from './connection.js';

const message = (id: number): ChatMessage => ({ id, authorId: 'a', name: 'Ann', text: `m${id} "quoted" \u2028`, ts: id });
const question = (id: number, voted: boolean): QuestionView => ({
  id,
  authorId: 'a',
  name: 'Ann',
  text: `q${id} \\ "why?"`,
  votes: 2,
  answered: false,
  hidden: false,
  pending: false,
  slide: { h: 1, v: 0 },
  ts: id,
  voted,
});
const snapshotWith = (chat: readonly ChatMessage[], name: string, questions: readonly QuestionView[] = []): Snapshot =>
  ({ protocol: 3, role: 'audience', chat, questions, me: { authorId: 'x', name }, audience: 7, spotlight: null }) as unknown as Snapshot;
/** What socket.io-parser sends for `socket.emit('snapshot', snapshot)` on the main namespace. */
const decode = (packet: string) => {
  expect(packet[0]).toBe('2');
  return JSON.parse(packet.slice(1)) as unknown;
};

describe('encodeSnapshot', () => {
  it('encodes the event as Socket.IO does, with every field', () => {
    const snapshot = snapshotWith([message(1), message(2)], 'Bo');
    expect(decode(encodeSnapshot(snapshot))).toEqual(['snapshot', snapshot]);
    expect(decode(encodeSnapshot(snapshotWith([], 'Bo')))).toEqual(['snapshot', snapshotWith([], 'Bo')]);
  });

  it('shares the encoding of a frozen history between phones, and each phone keeps its own fields', () => {
    const history = Object.freeze([message(1), message(2)].map((row) => Object.freeze(row)));
    const first = decode(encodeSnapshot(snapshotWith(history, 'Bo'))) as [string, Snapshot];
    const second = decode(encodeSnapshot(snapshotWith(history, 'Cy'))) as [string, Snapshot];
    expect(first[1].chat).toEqual(history);
    expect(second[1].chat).toEqual(history);
    expect([first[1].me.name, second[1].me.name]).toEqual(['Bo', 'Cy']);
  });

  it('encodes a phone’s own slice of the history afresh each time (it is not frozen, nothing promises it stays)', () => {
    const resumed = [message(5)];
    expect((decode(encodeSnapshot(snapshotWith(resumed, 'Bo'))) as [string, Snapshot])[1].chat).toEqual([message(5)]);
    resumed.push(message(6));
    expect((decode(encodeSnapshot(snapshotWith(resumed, 'Bo'))) as [string, Snapshot])[1].chat).toEqual([message(5), message(6)]);
  });

  it('shares the encoding of frozen question views, and encodes a phone’s own (voted) views afresh', () => {
    const shared = Object.freeze(question(1, false));
    const own = question(2, true);
    const first = decode(encodeSnapshot(snapshotWith([], 'Bo', [shared, own]))) as [string, Snapshot];
    expect(first[1].questions).toEqual([question(1, false), question(2, true)]);
    own.votes = 3;
    const second = decode(encodeSnapshot(snapshotWith([], 'Cy', [own, shared]))) as [string, Snapshot];
    expect(second[1].questions).toEqual([{ ...question(2, true), votes: 3 }, question(1, false)]);
    expect(decode(encodeSnapshot(snapshotWith(Object.freeze([message(1)]), 'Di', [shared])))).toEqual([
      'snapshot',
      snapshotWith([message(1)], 'Di', [question(1, false)]),
    ]);
  });
});
