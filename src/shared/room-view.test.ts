import { describe, expect, it } from 'vitest';
import { CHAT_HISTORY } from './limits';
import type { ChatMessage, Question, QuestionView, Snapshot } from './protocol';
import {
  addChat,
  applySnapshot,
  compareByVotes,
  compareQuestions,
  emptyRoomView,
  mergeChat,
  removeChat,
  sortedQuestions,
  topOpenQuestion,
  updateQuestion,
} from './room-view';

const message = (id: number, text = `message ${id}`): ChatMessage => ({ id, authorId: 'author', name: 'Guest', text, ts: 1000 + id });
const question = (id: number, fields: Partial<Question> = {}): Question => ({
  id,
  authorId: 'author',
  name: 'Guest',
  text: `question ${id}`,
  votes: 0,
  answered: false,
  hidden: false,
  pending: false,
  slide: { h: 0, v: 0 },
  ts: 1000 + id,
  ...fields,
});

/** The parts of a snapshot the room view reads; the rest is never looked at. */
const snapshot = (fields: { chat?: ChatMessage[]; questions?: QuestionView[]; spotlight?: number | null; chatLocked?: boolean; audience?: number }) =>
  ({ chat: [], questions: [], spotlight: null, chatLocked: false, audience: 0, ...fields }) as unknown as Snapshot;

const ids = (messages: ChatMessage[]) => messages.map((held) => held.id);

describe('room view', () => {
  it('takes everything from a first snapshot', () => {
    const view = applySnapshot(
      emptyRoomView(),
      snapshot({ chat: [message(1), message(2)], questions: [{ ...question(7), voted: true }], spotlight: 7, chatLocked: true, audience: 12 }),
      false,
    );
    expect(ids(view.chat)).toEqual([1, 2]);
    expect(view.questions.get(7)).toMatchObject({ id: 7, voted: true });
    expect(view).toMatchObject({ spotlight: 7, chatLocked: true, audience: 12 });
  });

  it('keeps the messages it holds across a resync snapshot, in id order and without duplicates', () => {
    // The phone heard 3 and 5 live; the resync snapshot brings 4, 5 and 6 (what it missed, and one it already had).
    const held = addChat(addChat(emptyRoomView(), message(3)), message(5));
    const view = applySnapshot(held, snapshot({ chat: [message(4), message(5), message(6)] }), true);
    expect(ids(view.chat)).toEqual([3, 4, 5, 6]);
  });

  it('replaces the chat when told not to keep it (a fresh session)', () => {
    const held = addChat(emptyRoomView(), message(3));
    expect(ids(applySnapshot(held, snapshot({ chat: [message(1)] }), false).chat)).toEqual([1]);
  });

  it('replaces questions with the snapshot’s: one hidden meanwhile is gone', () => {
    const held = updateQuestion(updateQuestion(emptyRoomView(), question(1)), question(2));
    const view = applySnapshot(held, snapshot({ questions: [question(2)] }), true);
    expect([...view.questions.keys()]).toEqual([2]);
  });

  it('bounds the chat it holds to twice the history, dropping the oldest', () => {
    const many = Array.from({ length: CHAT_HISTORY * 2 + 5 }, (_, index) => message(index + 1));
    const merged = mergeChat([], many);
    expect(merged).toHaveLength(CHAT_HISTORY * 2);
    expect(merged[0]!.id).toBe(6);
    expect(merged.at(-1)!.id).toBe(CHAT_HISTORY * 2 + 5);
  });

  it('ignores a message it already holds, and puts a late one in its place', () => {
    const view = addChat(addChat(emptyRoomView(), message(1)), message(3));
    expect(addChat(view, message(3, 'again'))).toBe(view);
    expect(ids(addChat(view, message(2)).chat)).toEqual([1, 2, 3]);
  });

  it('removes a deleted message and leaves the others, without changing its input', () => {
    const view = addChat(addChat(emptyRoomView(), message(1)), message(2));
    const after = removeChat(view, 1);
    expect(ids(after.chat)).toEqual([2]);
    expect(ids(view.chat)).toEqual([1, 2]);
  });

  it('keeps this viewer’s own vote when someone else’s vote updates the question', () => {
    const voted = updateQuestion(emptyRoomView(), question(1, { votes: 1 }), true);
    const othersVote = updateQuestion(voted, question(1, { votes: 2 }));
    expect(othersVote.questions.get(1)).toMatchObject({ votes: 2, voted: true });
    const withdrawn = updateQuestion(othersVote, question(1, { votes: 1 }), false);
    expect(withdrawn.questions.get(1)).toMatchObject({ votes: 1, voted: false });
    expect(updateQuestion(emptyRoomView(), question(2)).questions.get(2)!.voted).toBe(false);
  });

  it('sorts open questions by votes, then oldest first, answered ones last, and never shows hidden ones', () => {
    let view = emptyRoomView();
    for (const next of [
      question(1, { votes: 1 }),
      question(2, { votes: 5 }),
      question(3, { votes: 5, answered: true }),
      question(4, { votes: 1, ts: 900 }),
      question(5, { votes: 9, hidden: true }),
    ]) {
      view = updateQuestion(view, next);
    }
    expect(sortedQuestions(view).map((held) => held.id)).toEqual([2, 4, 1, 3]);
    expect(compareQuestions(question(1, { votes: 2 }), question(2, { votes: 1 }))).toBeLessThan(0);
  });

  it('orders a finished talk’s questions by votes, then oldest, then id, answered ones in place', () => {
    const questions = [
      question(1, { votes: 1, ts: 500 }),
      question(2, { votes: 5, ts: 800 }),
      question(3, { votes: 5, ts: 700, answered: true }),
      question(4, { votes: 1, ts: 500 }),
      question(5, { votes: 0, ts: 100 }),
    ];
    expect([...questions].sort(compareByVotes).map((held) => held.id)).toEqual([3, 2, 1, 4, 5]);
    // The live order puts the answered one last instead.
    expect([...questions].sort(compareQuestions).map((held) => held.id)).toEqual([2, 1, 4, 5, 3]);
  });

  it('proposes the top open question for the spotlight, never an answered or pending one', () => {
    let view = emptyRoomView();
    for (const next of [question(1, { votes: 9, answered: true }), question(2, { votes: 8, pending: true }), question(3, { votes: 2 })]) {
      view = updateQuestion(view, next);
    }
    expect(topOpenQuestion(view)?.id).toBe(3);
    expect(topOpenQuestion(updateQuestion(view, question(3, { answered: true })))).toBeUndefined();
  });
});
