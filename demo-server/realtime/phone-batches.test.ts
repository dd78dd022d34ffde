import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage, PollResults, Question, RoomBatch, TextBoard, WordCloud } from '../../src/shared/protocol.js';
import { batchWindowMs, MAX_BATCH_WINDOW_MS, PhoneBatches, type BatchSenders } from './phone-batches.js';

const message = (id: number): ChatMessage => ({ id, authorId: 'a', name: 'Ann', text: `m${id}`, ts: id });
const question = (id: number, votes: number): Question => ({
  id,
  authorId: 'a',
  name: 'Ann',
  text: `q${id}`,
  votes,
  answered: false,
  hidden: false,
  pending: false,
  slide: { h: 0, v: 0 },
  ts: id,
});
const poll = (name: string, total: number): PollResults => ({ poll: name, counts: [total], total, closed: false });
const cloud = (name: string, total: number): WordCloud => ({
  poll: name,
  words: [{ key: 'fast', text: 'fast', count: total }],
  total,
  entries: total,
  closed: false,
});
const board = (name: string, count: number): TextBoard => ({ poll: name, closed: false, show: { mode: 'list' }, count, entries: count, shown: [] });

describe('batchWindowMs', () => {
  it('is 0 in a small room and grows with the room up to the cap', () => {
    expect(batchWindowMs(0)).toBe(0);
    expect(batchWindowMs(40)).toBe(1);
    expect(batchWindowMs(39)).toBe(0);
    expect(batchWindowMs(1000)).toBe(25);
    expect(batchWindowMs(10_000)).toBe(MAX_BATCH_WINDOW_MS);
    expect(batchWindowMs(50_000)).toBe(MAX_BATCH_WINDOW_MS);
  });
});

describe('PhoneBatches', () => {
  let clock = 0;
  let phones = 0;
  let sent: Array<{ batch: RoomBatch; senders: BatchSenders }> = [];
  let batches: PhoneBatches;

  beforeEach(() => {
    vi.useFakeTimers();
    clock = 0;
    phones = 10;
    sent = [];
    batches = new PhoneBatches(
      (batch, senders) => sent.push({ batch, senders }),
      () => phones,
      () => clock,
    );
  });
  afterEach(() => {
    batches.discard();
    vi.useRealTimers();
  });

  const advance = (ms: number) => {
    clock += ms;
    vi.advanceTimersByTime(ms);
  };

  it('in a small room, sends what one turn of the event loop added as one batch at the end of that turn', () => {
    batches.addChat(message(1));
    batches.addChat(message(2));
    batches.addReactions({ '👍': 2 });
    batches.addReactions({ '👍': 1, '🎉': 1 });
    expect(sent).toEqual([]);
    vi.runOnlyPendingTimers();
    expect(sent.map(({ batch }) => batch)).toEqual([{ chat: [message(1), message(2)], reactions: { '👍': 3, '🎉': 1 } }]);
    batches.addChat(message(3));
    vi.runOnlyPendingTimers();
    expect(sent.map(({ batch }) => batch.chat)).toEqual([[message(1), message(2)], [message(3)]]);
  });

  it('in a big room, sends the first change at once and then at most one batch per window', () => {
    phones = 10_000;
    batches.addChat(message(1));
    vi.runOnlyPendingTimers();
    expect(sent).toHaveLength(1);
    advance(10);
    batches.addChat(message(2));
    advance(100);
    batches.addChat(message(3));
    advance(MAX_BATCH_WINDOW_MS - 111);
    expect(sent).toHaveLength(1);
    advance(1);
    expect(sent.map(({ batch }) => batch.chat)).toEqual([[message(1)], [message(2), message(3)]]);
  });

  it('keeps the latest state of each question and poll, in order of first change', () => {
    batches.updateQuestion(question(7, 1));
    batches.updateQuestion(question(3, 1));
    batches.updateQuestion(question(7, 2));
    batches.updatePoll(poll('p', 1));
    batches.updatePoll(poll('p', 2));
    batches.setHidden(1);
    batches.setAudience(12);
    batches.setAudience(13);
    batches.flush();
    expect(sent.map(({ batch }) => batch)).toEqual([{ questions: [question(7, 2), question(3, 1)], polls: [poll('p', 2)], hidden: 1, audience: 13 }]);
  });

  it('keeps the latest word cloud and open-text board of each poll, in order of first change', () => {
    batches.updateCloud(cloud('words-a', 1));
    batches.updateBoard(board('text-a', 1));
    batches.updateCloud(cloud('words-b', 1));
    batches.updateCloud(cloud('words-a', 2));
    batches.updateBoard(board('text-a', 2));
    expect(sent).toEqual([]);
    vi.runOnlyPendingTimers();
    expect(sent.map(({ batch }) => batch)).toEqual([{ clouds: [cloud('words-a', 2), cloud('words-b', 1)], boards: [board('text-a', 2)] }]);
  });

  it('sends clouds and boards on the window of a big room, with the chat of that window, and flushes them like the rest', () => {
    phones = 10_000;
    batches.addChat(message(1));
    vi.runOnlyPendingTimers();
    advance(10);
    batches.updateCloud(cloud('words-a', 1));
    batches.addChat(message(2));
    batches.updateBoard(board('text-a', 1));
    advance(MAX_BATCH_WINDOW_MS - 11);
    expect(sent).toHaveLength(1);
    advance(1);
    expect(sent[1]!.batch).toEqual({ chat: [message(2)], clouds: [cloud('words-a', 1)], boards: [board('text-a', 1)] });
    // Before anything sent to phones outside batches (a slide change), what waits leaves first.
    batches.updateCloud(cloud('words-a', 2));
    batches.flush();
    expect(sent[2]!.batch).toEqual({ clouds: [cloud('words-a', 2)] });
    batches.updateBoard(board('text-a', 2));
    batches.discard();
    vi.runOnlyPendingTimers();
    expect(sent).toHaveLength(3);
  });

  it('carries the newest revision of the state it holds, none for reactions and counts alone, and starts afresh after each batch', () => {
    batches.addChat(message(1), undefined, 105);
    batches.updateQuestion(question(7, 1), 110);
    batches.updatePoll(poll('p', 1), 103);
    batches.setHidden(1, 108);
    batches.addReactions({ '👍': 1 });
    batches.flush();
    expect(sent[0]!.batch.rev).toBe(110);
    batches.addReactions({ '👍': 1 });
    batches.setAudience(3);
    batches.flush();
    expect(sent[1]!.batch).toEqual({ reactions: { '👍': 1 }, audience: 3 });
    batches.updateCloud(cloud('words-a', 1), 120);
    batches.updateBoard(board('text-a', 1), 118);
    batches.discard();
    batches.updateBoard(board('text-a', 2), 125);
    batches.flush();
    expect(sent[2]!.batch.rev).toBe(125);
  });

  it('lists who sent which message, so senders can be left out of their own', () => {
    batches.addChat(message(1), 'socket-a');
    batches.addChat(message(2));
    batches.addChat(message(3), 'socket-a');
    batches.flush();
    expect(sent[0]!.senders).toEqual(new Map([['socket-a', new Set([1, 3])]]));
    batches.addChat(message(4));
    batches.flush();
    expect(sent[1]!.senders.size).toBe(0);
  });

  it('flush sends what waits at once and nothing when empty; discard drops it', () => {
    batches.flush();
    expect(sent).toEqual([]);
    batches.addChat(message(1));
    batches.flush();
    expect(sent).toHaveLength(1);
    vi.runOnlyPendingTimers();
    expect(sent).toHaveLength(1);
    batches.addChat(message(2));
    batches.discard();
    vi.runOnlyPendingTimers();
    expect(sent).toHaveLength(1);
  });
});
