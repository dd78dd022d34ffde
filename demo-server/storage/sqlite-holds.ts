/**
 * The SQLite side of held people (issue 18, item 5): addresses a ban marked
 * for a session, who is known or held there, and held people's messages
 * waiting for the presenter. Plain synchronous functions for the storage
 * worker, like sqlite-operations.ts, which wires them in.
 */
import type Database from 'better-sqlite3';
import type { ChatMessage, Question } from '../../src/shared/protocol.js';
import type { AddressMark, HoldState, NewChatMessage } from './storage.js';

interface HeldChatRow {
  id: number;
  author_id: string;
  name: string;
  text: string;
  ts: number;
}

function toHeldChat(row: HeldChatRow): ChatMessage {
  return { id: row.id, authorId: row.author_id, name: row.name, text: row.text, ts: row.ts };
}

function prepareHoldStatements(db: Database.Database) {
  return {
    mark: db.prepare<[number, string, number]>('INSERT OR IGNORE INTO address_marks (session_id, address_key, marked_at) VALUES (?, ?, ?)'),
    isMarked: db.prepare<[number, string], { one: number }>('SELECT 1 AS one FROM address_marks WHERE session_id = ? AND address_key = ?'),
    know: db.prepare<[number, string, number]>("INSERT OR IGNORE INTO session_people (session_id, author_id, state, since) VALUES (?, ?, 'known', ?)"),
    trust: db.prepare<[number, string]>("UPDATE session_people SET state = 'known' WHERE session_id = ? AND author_id = ? AND state = 'held'"),
    hold: db.prepare<[number, string, number]>("INSERT OR IGNORE INTO session_people (session_id, author_id, state, since) VALUES (?, ?, 'held', ?)"),
    stateOf: db.prepare<[number, string], { state: 'known' | 'held' }>('SELECT state FROM session_people WHERE session_id = ? AND author_id = ?'),
    forget: db.prepare<[number, string]>("DELETE FROM session_people WHERE session_id = ? AND author_id = ? AND state = 'held'"),
    heldPeople: db.prepare<[number], { author_id: string }>(
      "SELECT author_id FROM session_people WHERE session_id = ? AND state = 'held' ORDER BY since, author_id",
    ),
    insertHeldChat: db.prepare<[number, string, string, string, number], HeldChatRow>(
      'INSERT INTO held_chat (session_id, author_id, name, text, ts) VALUES (?, ?, ?, ?, ?) RETURNING *',
    ),
    heldChat: db.prepare<[number], HeldChatRow>('SELECT * FROM held_chat WHERE session_id = ? ORDER BY id'),
    takeHeldChatOf: db.prepare<[number, string], HeldChatRow>('DELETE FROM held_chat WHERE session_id = ? AND author_id = ? RETURNING *'),
    publishQuestionsOf: db.prepare<[number, string], { id: number }>(
      'UPDATE questions SET pending = 0 WHERE session_id = ? AND author_id = ? AND pending = 1 AND hidden = 0 RETURNING id',
    ),
  };
}

type HoldStatements = ReturnType<typeof prepareHoldStatements>;

function holdReads(s: HoldStatements) {
  return {
    holdState: (sessionId: number, addressKey: string, authorId: string): HoldState => {
      const state = s.stateOf.get(sessionId, authorId)?.state;
      if (state) return state === 'held' ? 'held' : 'free';
      return s.isMarked.get(sessionId, addressKey) ? 'held' : 'free';
    },
    heldPeople: (sessionId: number): { authorIds: string[]; chat: ChatMessage[] } => ({
      authorIds: s.heldPeople.all(sessionId).map((row) => row.author_id),
      chat: s.heldChat.all(sessionId).map(toHeldChat),
    }),
  };
}

/** What approving needs from the rest of the storage: adding a chat message, reading a question. */
export interface HoldDependencies {
  addChat(sessionId: number, message: NewChatMessage): ChatMessage;
  question(sessionId: number, id: number): Question;
}

function holdWrites(s: HoldStatements, deps: HoldDependencies) {
  const holdPerson = (sessionId: number, authorId: string, now: number): boolean => {
    s.hold.run(sessionId, authorId, now);
    return s.stateOf.get(sessionId, authorId)?.state === 'held';
  };
  return {
    holdPerson,
    addHeldChat: (sessionId: number, message: NewChatMessage): ChatMessage | null => {
      if (!holdPerson(sessionId, message.authorId, message.ts)) return null;
      return toHeldChat(s.insertHeldChat.get(sessionId, message.authorId, message.name, message.text, message.ts)!);
    },
    approveHeld: (sessionId: number, authorId: string): { chat: ChatMessage[]; questions: Question[] } | null => {
      if (s.trust.run(sessionId, authorId).changes === 0) return null;
      const waiting = s.takeHeldChatOf.all(sessionId, authorId).sort((a, b) => a.id - b.id);
      const chat = waiting.map((row) => deps.addChat(sessionId, { authorId: row.author_id, name: row.name, text: row.text, ts: row.ts }));
      const questions = s.publishQuestionsOf
        .all(sessionId, authorId)
        .map((row) => row.id)
        .sort((a, b) => a - b)
        .map((id) => deps.question(sessionId, id));
      return { chat, questions };
    },
  };
}

export function prepareHoldOperations(db: Database.Database, deps: HoldDependencies) {
  const statements = prepareHoldStatements(db);
  return {
    reads: holdReads(statements),
    writes: holdWrites(statements, deps),
    /** Part of a ban: marks the addresses and who is known now. */
    mark: (sessionId: number, mark: AddressMark, now: number): void => {
      for (const key of mark.addressKeys) statements.mark.run(sessionId, key, now);
      for (const authorId of mark.known) statements.know.run(sessionId, authorId, now);
    },
    /** Part of a ban: the banned person is no longer waiting, and what they sent while held goes. */
    forgetHeld: (sessionId: number, authorId: string): void => {
      statements.forget.run(sessionId, authorId);
      statements.takeHeldChatOf.run(sessionId, authorId);
    },
  };
}
