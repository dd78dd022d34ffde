/** The phone's room store against snapshots and events heard in every order, batched as phones hear them. */
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it } from 'vitest';
import { unpackBatches } from '../lib/room-batch';
import type { LiveClient } from '../lib/socket';
import type { ChatMessage, Question, QuestionView, RoomBatch, Snapshot } from '../shared/protocol';
import { RoomStore, type RoomNews } from './room-store';

const message = (id: number): ChatMessage => ({ id, authorId: 'someone', name: 'Ann', text: `m${id}`, ts: id });
const question = (id: number, votes: number, extra: Partial<Question> = {}): Question => ({
  id,
  authorId: 'someone',
  name: 'Ann',
  text: `q${id}`,
  votes,
  answered: false,
  hidden: false,
  pending: false,
  slide: { h: 0, v: 0 },
  ts: 1_000 + id,
  ...extra,
});
const view = (q: Question, voted = false): QuestionView => ({ ...q, voted });

function snapshot(rev: number | undefined, parts: Partial<Snapshot> = {}): Snapshot {
  return {
    protocol: 5,
    ...(rev === undefined ? {} : { rev }),
    role: 'audience',
    talkId: 'talk',
    ended: false,
    slide: { h: 0, v: 0, f: -1, seq: 0 },
    chat: [],
    questions: [],
    questionsTotal: 0,
    spotlight: null,
    chatLocked: false,
    audience: 1,
    me: { authorId: 'me', name: 'Guest-abcd' },
    sessionId: 1,
    timer: { startedAt: null, accumulatedMs: 0, running: false },
    serverNow: 1_000,
    blank: false,
    paused: null,
    polls: [],
    hiddenQuestions: 0,
    review: false,
    clouds: [],
    texts: [],
    presenterOnline: true,
    ...parts,
  };
}

describe('the phone’s room store', () => {
  let socket: EventEmitter;
  let store: RoomStore;
  let news: RoomNews[];
  const batch = (parts: RoomBatch) => socket.emit('room:batch', parts);
  const votes = (id: number) => store.view.questions.get(id)?.votes;

  beforeEach(() => {
    socket = new EventEmitter();
    unpackBatches(socket as unknown as LiveClient);
    store = new RoomStore();
    news = [];
    store.subscribe((heard) => heard && news.push(heard));
    store.attach(socket as unknown as LiveClient);
  });

  it('keeps a vote heard in a batch before a snapshot read earlier than it, and a question asked meanwhile', () => {
    socket.emit('snapshot', snapshot(100, { questions: [view(question(1, 1))], questionsTotal: 1 }));
    // The phone reconnects: its room hears the vote and a new question before its fresh snapshot, read before both.
    batch({ questions: [question(1, 2), question(2, 1, { ts: 5_000 })], rev: 220 });
    socket.emit('snapshot', snapshot(200, { questions: [view(question(1, 1))], questionsTotal: 1, serverNow: 2_000 }));
    expect(votes(1)).toBe(2);
    expect(votes(2)).toBe(1);
    expect(store.questionsTotal).toBe(2);
  });

  it('skips a batch the snapshot already holds, even when it arrives after it', () => {
    socket.emit('snapshot', snapshot(300, { questions: [view(question(1, 5))], questionsTotal: 1, chat: [message(1)] }));
    // Relayed late from another process: older than what the snapshot read.
    batch({ questions: [question(1, 4)], chat: [message(1)], hidden: 3, rev: 250 });
    expect(votes(1)).toBe(5);
    expect(store.hiddenQuestions).toBe(0);
    expect(news).toEqual([]);
  });

  it('drops an older snapshot arriving late in the same session, and takes the next session’s afresh', () => {
    socket.emit('snapshot', snapshot(100, { questions: [view(question(1, 1))], questionsTotal: 1 }));
    batch({ questions: [question(1, 3)], rev: 150 });
    socket.emit('snapshot', snapshot(90, { questions: [view(question(1, 0))], questionsTotal: 1, chatLocked: true }));
    expect(votes(1)).toBe(3);
    expect(store.view.chatLocked).toBe(false);

    socket.emit('snapshot', snapshot(400, { sessionId: 2, questions: [], chat: [message(9)] }));
    expect(store.view.questions.size).toBe(0);
    expect(store.view.chat.map((known) => known.id)).toEqual([9]);
  });

  it('applies a newer spotlight, chat lock, review and hidden count over the snapshot, in revision order', () => {
    socket.emit('snapshot', snapshot(100, { questions: [view(question(1, 1)), view(question(2, 1))], questionsTotal: 2 }));
    socket.emit('question:spotlight', { id: 1, rev: 130 });
    socket.emit('question:spotlight', { id: 2, rev: 140 });
    socket.emit('chat:locked', { locked: true, rev: 135 });
    socket.emit('moderation:changed', { review: true, rev: 136 });
    batch({ hidden: 1, rev: 138 });
    socket.emit('snapshot', snapshot(120, { questions: [view(question(1, 1)), view(question(2, 1))], questionsTotal: 2 }));
    expect(store.view.spotlight).toBe(2);
    expect(store.view.chatLocked).toBe(true);
    expect(store.review).toBe(true);
    expect(store.hiddenQuestions).toBe(1);
  });

  it('redraws when review mode changes, so the ask box says questions wait for approval', () => {
    socket.emit('snapshot', snapshot(100));
    let redraws = 0;
    store.subscribe(() => redraws++);
    socket.emit('moderation:changed', { review: true, rev: 110 });
    expect(store.review).toBe(true);
    expect(redraws).toBe(1);
  });

  it('keeps a message heard before the first snapshot, read before it, and tells of it once', () => {
    batch({ chat: [message(7)], rev: 120 });
    socket.emit('snapshot', snapshot(100, { chat: [message(5), message(6)] }));
    expect(store.view.chat.map((known) => known.id)).toEqual([5, 6, 7]);
    expect(news).toEqual([{ kind: 'chat' }]);
  });

  it('removes a message deleted before the snapshot when the deletion arrives after it (the chat keeps what it held)', () => {
    socket.emit('snapshot', snapshot(100, { chat: [message(1), message(2)] }));
    // The same session again, read after the deletion committed: the message is not in it, but the chat held it.
    socket.emit('snapshot', snapshot(200, { chat: [message(2)] }));
    expect(store.view.chat.map((known) => known.id)).toEqual([1, 2]);
    socket.emit('chat:deleted', { id: 1, rev: 180 });
    expect(store.view.chat.map((known) => known.id)).toEqual([2]);
  });

  it('does not bring a deleted message back when the message is applied again over a snapshot', () => {
    socket.emit('snapshot', snapshot(100));
    batch({ chat: [message(3)], rev: 150 });
    socket.emit('chat:deleted', { id: 3, rev: 160 });
    socket.emit('snapshot', snapshot(140));
    expect(store.view.chat).toEqual([]);
  });

  it('keeps this phone’s own knowledge of its vote when a question update is applied again', () => {
    socket.emit('snapshot', snapshot(100, { questions: [view(question(1, 1))], questionsTotal: 1 }));
    batch({ questions: [question(1, 2)], rev: 130 });
    socket.emit('snapshot', snapshot(120, { questions: [view(question(1, 2), true)], questionsTotal: 1 }));
    expect(store.view.questions.get(1)).toMatchObject({ votes: 2, voted: true });
  });

  it('announces an answer to a question this phone voted for once, not again when it is applied over a snapshot', () => {
    socket.emit('snapshot', snapshot(100, { questions: [view(question(1, 1), true)], questionsTotal: 1 }));
    batch({ questions: [question(1, 1, { answered: true })], rev: 130 });
    socket.emit('snapshot', snapshot(120, { questions: [view(question(1, 1), true)], questionsTotal: 1 }));
    expect(store.view.questions.get(1)?.answered).toBe(true);
    expect(news).toEqual([{ kind: 'answered', text: 'q1' }]);
  });

  it('shows once, and tells once, what a process sends again after another one is gone (peer-loss.ts on the server)', () => {
    socket.emit('snapshot', snapshot(100, { questions: [view(question(1, 2), true)], questionsTotal: 1, chat: [message(1)], serverNow: 1_000 }));
    batch({ chat: [message(2)], rev: 110 });
    // The survivor's batch: the room's latest, much of which this phone holds; message 3 and question 2 it never heard.
    batch({ chat: [message(1), message(2), message(3)], questions: [question(1, 2), question(2, 1, { ts: 1_500 })], rev: 200 });
    expect(store.view.chat.map((held) => held.id)).toEqual([1, 2, 3]);
    expect(store.view.questions.get(1)?.voted).toBe(true);
    expect(store.questionsTotal).toBe(2);
    expect(news).toEqual([{ kind: 'chat' }, { kind: 'chat' }, { kind: 'question' }]);
  });

  it('applies events as they come, and takes each snapshot whole, from a server that sends no revisions', () => {
    socket.emit('snapshot', snapshot(undefined, { questions: [view(question(1, 1))], questionsTotal: 1 }));
    batch({ questions: [question(1, 2)] });
    expect(votes(1)).toBe(2);
    socket.emit('snapshot', snapshot(undefined, { questions: [view(question(1, 1))], questionsTotal: 1 }));
    expect(votes(1)).toBe(1);
  });
});
