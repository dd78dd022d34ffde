/**
 * A database written by the previous schema (version 2, made by the storage
 * code of that commit: test/fixtures/build-schema-v2-db.ts) opens with
 * today's storage, migrates forward, and every session is still there with
 * everything it held.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { openSqliteStorage } from './sqlite.js';
import type { TalkStorage } from './storage.js';

const FIXTURE = path.join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'schema-v2.db');
const T0 = Date.UTC(2025, 2, 6, 17, 0, 0);
const DAY = 24 * 60 * 60_000;

function userVersion(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('migrating a schema-2 database', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function openCopy(): Promise<{ storage: TalkStorage; file: string }> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'livedeck-migration-'));
    cleanup.push(() => fs.rmSync(directory, { recursive: true, force: true }));
    const file = path.join(directory, 'livedeck.db');
    fs.copyFileSync(FIXTURE, file);
    expect(userVersion(file)).toBe(2);
    const storage = await openSqliteStorage(file);
    cleanup.push(() => storage.close());
    return { storage, file };
  }

  it('finds every session of every talk, with its chat, questions, votes, polls and bans', async () => {
    const { storage, file } = await openCopy();
    expect(userVersion(file)).toBe(MIGRATIONS.length);

    const all = await storage.listSessions();
    expect(all).toEqual([
      { id: 3, talkId: 'other-talk', startedAt: T0 + 7 * DAY, endedAt: T0 + 7 * DAY + 9 * 60_000, peakAudience: 4, questions: 1, messages: 0 },
      { id: 2, talkId: 'nodejs-websockets', startedAt: T0 + 14 * DAY, endedAt: null, peakAudience: 9, questions: 0, messages: 1 },
      { id: 1, talkId: 'nodejs-websockets', startedAt: T0, endedAt: T0 + 14 * DAY, peakAudience: 23, questions: 2, messages: 1 },
    ]);
    expect((await storage.listSessions('nodejs-websockets')).map((session) => session.id)).toEqual([2, 1]);

    // The open session is still the open one, with its control state.
    expect((await storage.openSession('nodejs-websockets', Date.now())).id).toBe(2);
    expect((await storage.getSession(1))?.control.slide).toEqual({ h: 4, v: 0, f: -1, seq: 7 });

    expect((await storage.allChat(1)).map((message) => message.text)).toEqual(['Hello from the back row']);
    const questions = await storage.listQuestions(1);
    expect(questions.map(({ text, votes, answered, hidden }) => ({ text, votes, answered, hidden }))).toEqual([
      { text: 'Why not server-sent events?', votes: 3, answered: true, hidden: false },
      { text: 'A question the presenter hid', votes: 1, answered: false, hidden: true },
    ]);
    expect(await storage.votesOf(1, 'client-cyd-0003')).toEqual([questions[0]!.id]);
    expect(await storage.pollCounts(1)).toEqual([{ poll: 'used-node', counts: [1, 0, 1], closed: true }]);
    expect((await storage.voterRecord(1, 'client-bob-0002')).polls).toEqual([{ poll: 'used-node', choice: 2 }]);
    expect(await storage.isBanned('nodejs-websockets', 'author-bob')).toBe(true);
    expect(await storage.getOrCreateSecret('author-id', () => 'new')).toBe('f'.repeat(64));
    expect((await storage.listQuestions(3)).map((question) => question.text)).toEqual(['Is this recorded?']);
  });

  it('gives old sessions an empty timeline, and records the new one from where it is', async () => {
    const { storage } = await openCopy();
    expect(await storage.sessionActivity(1)).toEqual({ timeline: [], audience: [], reactions: [] });
    expect(await storage.getLive()).toBeNull();
    await storage.recordAudience(2, 12, T0 + 15 * DAY);
    await storage.addReactions(2, { h: 1, v: 0 }, { '👏': 2 });
    await storage.updateControl(
      2,
      (control) => ({ ...control, slide: { h: 1, v: 0, f: -1, seq: 1 } }),
      () => [{ ts: T0 + 15 * DAY, kind: 'slide', h: 1, v: 0, f: -1 }],
    );
    expect(await storage.sessionActivity(2)).toEqual({
      timeline: [{ ts: T0 + 15 * DAY, kind: 'slide', h: 1, v: 0, f: -1 }],
      audience: [{ ts: T0 + 15 * DAY, n: 12 }],
      reactions: [{ h: 1, v: 0, emoji: '👏', count: 2 }],
    });
    expect((await storage.listSessions('nodejs-websockets'))[0]!.peakAudience).toBe(12);
  });

  it('migrates once: opening the migrated file again changes nothing', async () => {
    const { storage, file } = await openCopy();
    const before = await storage.listSessions();
    await storage.close();
    const again = await openSqliteStorage(file);
    cleanup.push(() => again.close());
    expect(userVersion(file)).toBe(MIGRATIONS.length);
    expect(await again.listSessions()).toEqual(before);
  });
});

describe('migrating to word clouds and open text', () => {
  // The migration that adds poll entries, found by what it creates so the test follows it if migrations are appended.
  const ENTRIES_MIGRATION = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE poll_entries'));
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** A database at the schema just before that migration, with a session, a vote and a closed poll in it. */
  function databaseBeforeEntries(): string {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'livedeck-migration-'));
    cleanup.push(() => fs.rmSync(directory, { recursive: true, force: true }));
    const file = path.join(directory, 'livedeck.db');
    const db = new Database(file);
    for (const [version, sql] of MIGRATIONS.slice(0, ENTRIES_MIGRATION).entries()) {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    }
    db.prepare("INSERT INTO sessions (id, talk_id, started_at, control) VALUES (1, 'nodejs-websockets', ?, '{}')").run(T0);
    db.prepare("INSERT INTO poll_votes (session_id, poll_id, voter_key, choice, ts) VALUES (1, 'used-node', 'client-a', 1, ?)").run(T0);
    db.prepare("INSERT INTO poll_state (session_id, poll_id, closed) VALUES (1, 'used-node', 1)").run();
    db.close();
    return file;
  }

  it('keeps the votes and closed polls, and then takes words, answers, removals and what the projector shows', async () => {
    expect(ENTRIES_MIGRATION).toBeGreaterThan(0);
    const file = databaseBeforeEntries();
    expect(userVersion(file)).toBe(ENTRIES_MIGRATION);
    const storage = await openSqliteStorage(file);
    cleanup.push(() => storage.close());
    expect(userVersion(file)).toBe(MIGRATIONS.length);

    expect(await storage.pollCounts(1)).toEqual([{ poll: 'used-node', counts: [0, 1], closed: true }]);
    expect(await storage.pollEntries(1)).toEqual([]);

    const rules = { perVoter: 3, total: 100, uniqueKeys: true };
    const word = { poll: 'node-word', voterKey: 'client-a', authorId: 'author-a', name: 'Ann', text: 'Fast', key: 'fast', ts: T0 + 1 };
    const added = await storage.addPollEntry(1, word, rules);
    expect(added).toMatchObject({ ok: true, entry: { poll: 'node-word', text: 'Fast', key: 'fast', hidden: false } });
    expect(await storage.addPollEntry(1, { ...word, text: 'fast!' }, rules)).toEqual({ ok: false, reason: 'duplicate' });
    await storage.hidePollWord(1, 'node-word', 'fast', true);
    await storage.setPollShown(1, 'feedback', 'list');
    expect(await storage.pollCounts(1)).toEqual(
      expect.arrayContaining([
        { poll: 'node-word', counts: [], closed: false, hiddenWords: ['fast'] },
        { poll: 'feedback', counts: [], closed: false, shown: 'list' },
      ]),
    );
    expect((await storage.voterRecord(1, 'client-a')).entries.map((entry) => entry.text)).toEqual(['Fast']);
  });
});
