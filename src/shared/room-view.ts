/**
 * What a screen shows of the room (chat, questions, spotlight), rebuilt from
 * a snapshot and kept current by events. Pure: duplicates (an event that is
 * also in a later snapshot) and reordering are handled here, not in the DOM.
 */
import { CHAT_HISTORY } from './limits';
import type { ChatMessage, Question, QuestionView, Snapshot } from './protocol';

export interface RoomView {
  chat: ChatMessage[];
  questions: Map<number, QuestionView>;
  spotlight: number | null;
  chatLocked: boolean;
  audience: number;
}

export const emptyRoomView = (): RoomView => ({
  chat: [],
  questions: new Map(),
  spotlight: null,
  chatLocked: false,
  audience: 0,
});

/** Merges a snapshot: keeps what we hold that the snapshot also has, in id order, without duplicates. */
export function applySnapshot(view: RoomView, snapshot: Snapshot, keepChat: boolean): RoomView {
  const chat = keepChat ? mergeChat(view.chat, snapshot.chat) : snapshot.chat.slice(-CHAT_HISTORY * 2);
  return {
    chat,
    questions: new Map(snapshot.questions.map((question) => [question.id, question])),
    spotlight: snapshot.spotlight,
    chatLocked: snapshot.chatLocked,
    audience: snapshot.audience,
  };
}

export function mergeChat(held: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const byId = new Map(held.map((message) => [message.id, message]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.id - b.id).slice(-CHAT_HISTORY * 2);
}

export function addChat(view: RoomView, message: ChatMessage): RoomView {
  // A message waiting for the presenter (its sender's ack) is not in the chat: its id is not a chat id.
  if (message.held || view.chat.some((known) => known.id === message.id)) return view;
  return { ...view, chat: mergeChat(view.chat, [message]) };
}

export function removeChat(view: RoomView, id: number): RoomView {
  return { ...view, chat: view.chat.filter((message) => message.id !== id) };
}

/** A question update; `voted` is this viewer's own knowledge and survives updates from others. */
export function updateQuestion(view: RoomView, question: Question, voted?: boolean): RoomView {
  const questions = new Map(view.questions);
  const previous = questions.get(question.id);
  questions.set(question.id, { ...question, voted: voted ?? previous?.voted ?? false });
  return { ...view, questions };
}

/**
 * Most votes first, then oldest, then by id (a stable order for ties), answered or not: the order of a
 * finished talk's questions (the handout, the session report), where what was answered is part of the record.
 */
export function compareByVotes(a: Pick<Question, 'votes' | 'ts' | 'id'>, b: Pick<Question, 'votes' | 'ts' | 'id'>): number {
  return b.votes - a.votes || a.ts - b.ts || a.id - b.id;
}

/** Open questions by votes (then oldest first), answered ones after: the live order. */
export function compareQuestions(a: Question, b: Question): number {
  return Number(a.answered) - Number(b.answered) || compareByVotes(a, b);
}

/** Sorted with compareQuestions; hidden ones never. */
export function sortedQuestions(view: RoomView): QuestionView[] {
  return [...view.questions.values()].filter((question) => !question.hidden).sort(compareQuestions);
}

/** The question to propose for the spotlight: the top-voted one not yet answered (nor waiting for approval). */
export function topOpenQuestion(view: RoomView): QuestionView | undefined {
  return sortedQuestions(view).find((question) => !question.answered && !question.pending);
}
