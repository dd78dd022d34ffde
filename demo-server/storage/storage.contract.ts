/**
 * The storage contract: one suite every TalkStorage implementation must
 * pass (sqlite.test.ts and redis.test.ts run it). It pins down what callers
 * rely on — ids, ordering, idempotence, atomicity under concurrency, and
 * that what was acknowledged is still there when the store is opened again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialTalkState, reduceTalk } from '../../src/shared/talk-state.js';
import type { NewPollEntry, NewQuestion, PollEntryRules, TalkStorage } from './storage.js';

export interface StorageHarness {
  /** Opens a handle on the store; a second call opens another handle on the same data (a second process). */
  open(): Promise<TalkStorage>;
  /** Removes the store (after every handle is closed). */
  destroy(): Promise<void>;
}

const TALK = 'contract-talk';
const NOW = 1_700_000_000_000;

function question(overrides: Partial<NewQuestion> = {}): NewQuestion {
  return { authorId: 'author-1', name: 'Ada', text: 'Why?', ts: NOW, slide: { h: 2, v: 1 }, voterKey: 'voter-asker', ...overrides };
}

function entry(overrides: Partial<NewPollEntry> = {}): NewPollEntry {
  return { poll: 'w', voterKey: 'v1', authorId: 'author-1', name: 'Ada', text: 'Fast', key: 'fast', ts: NOW, ...overrides };
}
const WORDS: PollEntryRules = { perVoter: 3, total: 100, uniqueKeys: true };
const ANSWERS: PollEntryRules = { perVoter: 2, total: 100, uniqueKeys: false };

export function defineStorageContract(name: string, makeHarness: () => Promise<StorageHarness>): void {
  describe(`TalkStorage contract: ${name}`, () => {
    let harness: StorageHarness;
    let storage: TalkStorage;
    const extra: TalkStorage[] = [];

    beforeEach(async () => {
      harness = await makeHarness();
      storage = await harness.open();
    });

    afterEach(async () => {
      for (const handle of extra.splice(0)) await handle.close();
      await storage.close();
      await harness.destroy();
    });

    async function second(): Promise<TalkStorage> {
      const handle = await harness.open();
      extra.push(handle);
      return handle;
    }

    describe('sessions', () => {
      it('opens one session per talk and returns the same one until it ends', async () => {
        const first = await storage.openSession(TALK, NOW);
        expect(first).toMatchObject({ talkId: TALK, startedAt: NOW, endedAt: null, control: initialTalkState });
        expect(first.id).toBeGreaterThan(0);
        expect((await storage.openSession(TALK, NOW + 5)).id).toBe(first.id);
        const other = await storage.openSession('another-talk', NOW);
        expect(other.id).not.toBe(first.id);
      });

      it('starts a fresh session, ending the open one', async () => {
        const first = await storage.openSession(TALK, NOW);
        const fresh = await storage.startSession(TALK, NOW + 10);
        expect(fresh.id).toBeGreaterThan(first.id);
        expect(fresh.control).toEqual(initialTalkState);
        expect((await storage.getSession(first.id))?.endedAt).toBe(NOW + 10);
        expect((await storage.openSession(TALK, NOW + 20)).id).toBe(fresh.id);
      });

      it('ends a session once; the next open creates another', async () => {
        const first = await storage.openSession(TALK, NOW);
        await storage.endSession(first.id, NOW + 1);
        await storage.endSession(first.id, NOW + 2);
        expect((await storage.getSession(first.id))?.endedAt).toBe(NOW + 1);
        const next = await storage.openSession(TALK, NOW + 3);
        expect(next.id).not.toBe(first.id);
        expect(next.endedAt).toBeNull();
      });

      it('returns null for an unknown session', async () => {
        expect(await storage.getSession(987_654)).toBeNull();
      });

      it('lists sessions newest first with their peak and counts', async () => {
        const first = await storage.openSession(TALK, NOW);
        await storage.addChat(first.id, { authorId: 'a', name: 'A', text: 'hi', ts: NOW });
        const deleted = await storage.addChat(first.id, { authorId: 'a', name: 'A', text: 'oops', ts: NOW });
        await storage.deleteChat(first.id, deleted.id);
        await storage.addQuestion(first.id, question());
        await storage.recordAudience(first.id, 7, NOW + 1);
        await storage.recordAudience(first.id, 3, NOW + 2);
        const fresh = await storage.startSession(TALK, NOW + 100);
        const list = await storage.listSessions(TALK);
        expect(list).toEqual([
          { id: fresh.id, talkId: TALK, startedAt: NOW + 100, endedAt: null, peakAudience: 0, questions: 0, messages: 0 },
          { id: first.id, talkId: TALK, startedAt: NOW, endedAt: NOW + 100, peakAudience: 7, questions: 1, messages: 1 },
        ]);
        expect(await storage.listSessions('nobody')).toEqual([]);
      });

      it('lists the sessions of every talk, newest first, each with its talk', async () => {
        const first = await storage.openSession(TALK, NOW);
        const other = await storage.openSession('another-talk', NOW + 1);
        await storage.endSession(first.id, NOW + 2);
        const list = await storage.listSessions();
        expect(list.map(({ id, talkId, endedAt }) => ({ id, talkId, endedAt }))).toEqual([
          { id: other.id, talkId: 'another-talk', endedAt: null },
          { id: first.id, talkId: TALK, endedAt: NOW + 2 },
        ]);
      });

      it('keeps what the room shows: the live talk and its session', async () => {
        expect(await storage.getLive()).toBeNull();
        const session = await storage.openSession(TALK, NOW);
        await storage.setLive({ talkId: TALK, sessionId: session.id });
        const other = await second();
        expect(await other.getLive()).toEqual({ talkId: TALK, sessionId: session.id });
        await other.setLive({ talkId: 'another-talk', sessionId: session.id + 1 });
        expect(await storage.getLive()).toEqual({ talkId: 'another-talk', sessionId: session.id + 1 });
      });
    });

    describe('session activity (the report)', () => {
      const slide = (h: number, ts: number) => ({ ts, kind: 'slide' as const, h, v: 0, f: -1 });

      it('records timeline entries with the control change that makes them, and none for a refused or no-op change', async () => {
        const session = await storage.openSession(TALK, NOW);
        const move = (h: number, ts: number) =>
          storage.updateControl(
            session.id,
            (state) => reduceTalk(state, { type: 'slide:set', position: { h, v: 0, f: -1 } }),
            (before, after) => (after.slide !== before.slide ? [slide(after.slide.h, ts)] : []),
          );
        await move(1, NOW + 10);
        await move(1, NOW + 20);
        await storage.updateControl(
          session.id,
          (state) => reduceTalk(state, { type: 'timer:start', now: NOW + 30 }),
          () => [{ ts: NOW + 30, kind: 'timer', action: 'start' }],
        );
        await move(2, NOW + 40);
        expect(
          await storage.updateControl(
            987_654,
            (state) => state,
            () => [slide(9, NOW)],
          ),
        ).toBeNull();
        expect((await storage.sessionActivity(session.id)).timeline).toEqual([
          slide(1, NOW + 10),
          { ts: NOW + 30, kind: 'timer', action: 'start' },
          slide(2, NOW + 40),
        ]);
        const fresh = await storage.startSession(TALK, NOW + 50);
        expect(await storage.sessionActivity(fresh.id)).toEqual({ timeline: [], audience: [], reactions: [] });
      });

      it('keeps every timeline entry when two handles change the state at once', async () => {
        const session = await storage.openSession(TALK, NOW);
        const other = await second();
        await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            (index % 2 ? storage : other).updateControl(
              session.id,
              (state) => reduceTalk(state, { type: 'slide:set', position: { h: state.slide.h + 1, v: 0, f: -1 } }),
              (_before, after) => [slide(after.slide.h, NOW + after.slide.seq)],
            ),
          ),
        );
        // A retried change records its entries once, from the attempt that won.
        const { timeline } = await storage.sessionActivity(session.id);
        expect(timeline.map((entry) => (entry.kind === 'slide' ? entry.h : -1))).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
      });

      it('samples the audience and keeps its peak', async () => {
        const session = await storage.openSession(TALK, NOW);
        await storage.recordAudience(session.id, 3, NOW + 1000);
        await storage.recordAudience(session.id, 12, NOW + 2000);
        await storage.recordAudience(session.id, 5, NOW + 3000);
        expect((await storage.sessionActivity(session.id)).audience).toEqual([
          { ts: NOW + 1000, n: 3 },
          { ts: NOW + 2000, n: 12 },
          { ts: NOW + 3000, n: 5 },
        ]);
        expect((await storage.listSessions(TALK))[0]!.peakAudience).toBe(12);
      });

      it('adds up reactions per slide and emoji, from any number of handles', async () => {
        const session = await storage.openSession(TALK, NOW);
        const other = await second();
        await Promise.all([
          storage.addReactions(session.id, { h: 2, v: 0 }, { '👏': 3, '❤️': 1 }),
          other.addReactions(session.id, { h: 2, v: 0 }, { '👏': 2 }),
          other.addReactions(session.id, { h: 1, v: 1 }, { '🤯': 4, '🎉': 0 }),
        ]);
        expect((await storage.sessionActivity(session.id)).reactions).toEqual([
          { h: 1, v: 1, emoji: '🤯', count: 4 },
          { h: 2, v: 0, emoji: '❤️', count: 1 },
          { h: 2, v: 0, emoji: '👏', count: 5 },
        ]);
      });
    });

    describe('control state', () => {
      it('saves and reads the control state', async () => {
        const session = await storage.openSession(TALK, NOW);
        const moved = reduceTalk(initialTalkState, { type: 'slide:set', position: { h: 3, v: 0, f: -1 } });
        await storage.saveControl(session.id, moved);
        expect((await storage.getSession(session.id))?.control).toEqual(moved);
      });

      it('updates atomically and writes nothing for a no-op', async () => {
        const session = await storage.openSession(TALK, NOW);
        const moved = await storage.updateControl(session.id, (state) => reduceTalk(state, { type: 'slide:set', position: { h: 1, v: 0, f: -1 } }));
        expect(moved?.before).toEqual(initialTalkState);
        expect(moved?.after.slide).toEqual({ h: 1, v: 0, f: -1, seq: 1 });
        const same = await storage.updateControl(session.id, (state) => state);
        expect(same?.after).toBe(same?.before);
        expect((await storage.getSession(session.id))?.control.slide.seq).toBe(1);
        expect(await storage.updateControl(987_654, (state) => state)).toBeNull();
      });

      it('loses no update when two handles change the state at once', async () => {
        const session = await storage.openSession(TALK, NOW);
        const other = await second();
        const moves = Array.from({ length: 40 }, (_, index) => index);
        await Promise.all(
          moves.map((index) =>
            (index % 2 ? storage : other).updateControl(session.id, (state) =>
              reduceTalk(state, { type: 'slide:set', position: { h: state.slide.h + 1, v: 0, f: -1 } }),
            ),
          ),
        );
        const control = (await storage.getSession(session.id))!.control;
        expect(control.slide.h).toBe(40);
        expect(control.slide.seq).toBe(40);
      });
    });

    describe('chat', () => {
      it('adds messages with increasing ids and reads them oldest first', async () => {
        const session = await storage.openSession(TALK, NOW);
        const sent = [];
        for (let index = 0; index < 5; index++) {
          sent.push(await storage.addChat(session.id, { authorId: 'a', name: 'A', text: `m${index}`, ts: NOW + index }));
        }
        expect(sent[0]).toEqual({ id: sent[0]!.id, authorId: 'a', name: 'A', text: 'm0', ts: NOW });
        for (let index = 1; index < sent.length; index++) expect(sent[index]!.id).toBeGreaterThan(sent[index - 1]!.id);
        expect(await storage.allChat(session.id)).toEqual(sent);
        expect(await storage.recentChat(session.id, 2)).toEqual(sent.slice(3));
        expect(await storage.chatSince(session.id, sent[1]!.id, 2)).toEqual(sent.slice(2, 4));
        expect(await storage.chatSince(session.id, sent[4]!.id, 10)).toEqual([]);
      });

      it("marks a presenter's messages, and only theirs", async () => {
        const session = await storage.openSession(TALK, NOW);
        const fromPresenter = await storage.addChat(session.id, { authorId: 'p', name: 'Presenter', text: 'welcome', ts: NOW, presenter: true });
        const fromPhone = await storage.addChat(session.id, { authorId: 'a', name: 'A', text: 'hi', ts: NOW, presenter: false });
        expect(fromPresenter.presenter).toBe(true);
        expect(fromPhone).not.toHaveProperty('presenter');
        expect(await storage.recentChat(session.id, 10)).toEqual([fromPresenter, fromPhone]);
      });

      it('keeps sessions apart and hides deleted messages', async () => {
        const first = await storage.openSession(TALK, NOW);
        const kept = await storage.addChat(first.id, { authorId: 'a', name: 'A', text: 'keep', ts: NOW });
        const gone = await storage.addChat(first.id, { authorId: 'a', name: 'A', text: 'gone', ts: NOW });
        expect(await storage.deleteChat(first.id, gone.id)).toBe(true);
        expect(await storage.deleteChat(first.id, gone.id)).toBe(false);
        expect(await storage.allChat(first.id)).toEqual([kept]);
        expect(await storage.chatSince(first.id, 0, 10)).toEqual([kept]);
        const fresh = await storage.startSession(TALK, NOW + 1);
        expect(await storage.deleteChat(fresh.id, kept.id)).toBe(false);
        expect(await storage.recentChat(fresh.id, 10)).toEqual([]);
      });

      it('gives every concurrent message its own id', async () => {
        const session = await storage.openSession(TALK, NOW);
        const other = await second();
        const sent = await Promise.all(
          Array.from({ length: 30 }, (_, index) => (index % 2 ? storage : other).addChat(session.id, { authorId: 'a', name: 'A', text: `m${index}`, ts: NOW })),
        );
        expect(new Set(sent.map((message) => message.id)).size).toBe(30);
        expect(await storage.allChat(session.id)).toHaveLength(30);
      });

      it('reads a long chat whole', async () => {
        const session = await storage.openSession(TALK, NOW);
        await Promise.all(Array.from({ length: 1200 }, (_, index) => storage.addChat(session.id, { authorId: 'a', name: 'A', text: `m${index}`, ts: NOW })));
        const all = await storage.allChat(session.id);
        expect(all).toHaveLength(1200);
        expect(all.map((message) => message.text).sort()).toEqual(Array.from({ length: 1200 }, (_, index) => `m${index}`).sort());
      });
    });

    describe('questions and votes', () => {
      it('adds a question with its asker’s vote', async () => {
        const session = await storage.openSession(TALK, NOW);
        const asked = await storage.addQuestion(session.id, question());
        expect(asked).toEqual({
          id: asked.id,
          authorId: 'author-1',
          name: 'Ada',
          text: 'Why?',
          votes: 1,
          answered: false,
          hidden: false,
          pending: false,
          slide: { h: 2, v: 1 },
          ts: NOW,
        });
        expect(await storage.votesOf(session.id, 'voter-asker')).toEqual([asked.id]);
        expect(await storage.listQuestions(session.id)).toEqual([asked]);
      });

      it('holds a question for review: no one else votes on it until it is approved', async () => {
        const session = await storage.openSession(TALK, NOW);
        const held = await storage.addQuestion(session.id, { ...question(), pending: true });
        expect(held).toMatchObject({ pending: true, hidden: false, votes: 1 });
        expect(await storage.setVote(session.id, held.id, 'voter-b', true)).toBeNull();
        expect((await storage.listQuestions(session.id))[0]).toMatchObject({ pending: true, votes: 1 });
        expect(await storage.moderateQuestion(session.id, held.id, { pending: false })).toMatchObject({ pending: false, hidden: false });
        expect(await storage.setVote(session.id, held.id, 'voter-b', true)).toMatchObject({ changed: true, question: { votes: 2 } });
        const refused = await storage.addQuestion(session.id, { ...question(), pending: true });
        expect(await storage.moderateQuestion(session.id, refused.id, { pending: false, hidden: true })).toMatchObject({ pending: false, hidden: true });
      });

      it('sets votes idempotently and takes them back', async () => {
        const session = await storage.openSession(TALK, NOW);
        const asked = await storage.addQuestion(session.id, question());
        expect(await storage.setVote(session.id, asked.id, 'voter-b', true)).toMatchObject({ changed: true, question: { votes: 2 } });
        expect(await storage.setVote(session.id, asked.id, 'voter-b', true)).toMatchObject({ changed: false, question: { votes: 2 } });
        expect(await storage.setVote(session.id, asked.id, 'voter-b', false)).toMatchObject({ changed: true, question: { votes: 1 } });
        expect(await storage.setVote(session.id, asked.id, 'voter-b', false)).toMatchObject({ changed: false, question: { votes: 1 } });
        expect(await storage.votesOf(session.id, 'voter-b')).toEqual([]);
        expect(await storage.setVote(session.id, asked.id + 1000, 'voter-b', true)).toBeNull();
        const fresh = await storage.startSession(TALK, NOW + 1);
        expect(await storage.setVote(fresh.id, asked.id, 'voter-b', true)).toBeNull();
      });

      it('counts every concurrent voter exactly once', async () => {
        const session = await storage.openSession(TALK, NOW);
        const asked = await storage.addQuestion(session.id, question());
        const other = await second();
        const voters = Array.from({ length: 50 }, (_, index) => `voter-${index}`);
        // Every voter twice, from both handles: still one vote each.
        await Promise.all([
          ...voters.map((voter) => storage.setVote(session.id, asked.id, voter, true)),
          ...voters.map((voter) => other.setVote(session.id, asked.id, voter, true)),
        ]);
        expect((await storage.listQuestions(session.id))[0]!.votes).toBe(51);
        expect(await other.votesOf(session.id, 'voter-7')).toEqual([asked.id]);
      });

      it('refuses a vote on a hidden question without changing it, unless hidden questions are included', async () => {
        const session = await storage.openSession(TALK, NOW);
        const asked = await storage.addQuestion(session.id, question());
        await storage.moderateQuestion(session.id, asked.id, { hidden: true });
        expect(await storage.setVote(session.id, asked.id, 'voter-b', true)).toBeNull();
        expect(await storage.setVote(session.id, asked.id, 'voter-asker', false)).toBeNull();
        expect((await storage.listQuestions(session.id))[0]!.votes).toBe(1);
        expect(await storage.votesOf(session.id, 'voter-b')).toEqual([]);
        expect(await storage.setVote(session.id, asked.id, 'voter-b', true, true)).toMatchObject({ changed: true, question: { votes: 2 } });
      });

      it('moderates: answered and hidden, each on its own', async () => {
        const session = await storage.openSession(TALK, NOW);
        const asked = await storage.addQuestion(session.id, question());
        expect(await storage.moderateQuestion(session.id, asked.id, { answered: true })).toMatchObject({ answered: true, hidden: false });
        expect(await storage.moderateQuestion(session.id, asked.id, { hidden: true })).toMatchObject({ answered: true, hidden: true });
        expect(await storage.moderateQuestion(session.id, asked.id, { answered: false })).toMatchObject({ answered: false, hidden: true });
        expect(await storage.moderateQuestion(session.id, asked.id + 1000, { hidden: true })).toBeNull();
        const fresh = await storage.startSession(TALK, NOW + 1);
        expect(await storage.moderateQuestion(fresh.id, asked.id, { hidden: false })).toBeNull();
      });

      it('lists questions of the session in asking order', async () => {
        const session = await storage.openSession(TALK, NOW);
        const first = await storage.addQuestion(session.id, question({ text: 'first' }));
        const secondQuestion = await storage.addQuestion(session.id, question({ text: 'second', voterKey: 'voter-2' }));
        const fresh = await storage.startSession(TALK, NOW + 1);
        await storage.addQuestion(fresh.id, question({ text: 'elsewhere' }));
        expect((await storage.listQuestions(session.id)).map((q) => q.id)).toEqual([first.id, secondQuestion.id]);
        expect(await storage.votesOf(session.id, 'voter-asker')).toEqual([first.id]);
      });
    });

    describe('polls', () => {
      it('counts one vote per voter, moved when they change their mind', async () => {
        const session = await storage.openSession(TALK, NOW);
        expect(await storage.setPollVote(session.id, { poll: 'p', voterKey: 'v1', choice: 2, ts: NOW })).toBe('changed');
        expect(await storage.setPollVote(session.id, { poll: 'p', voterKey: 'v1', choice: 2, ts: NOW })).toBe('unchanged');
        expect(await storage.setPollVote(session.id, { poll: 'p', voterKey: 'v2', choice: 2, ts: NOW })).toBe('changed');
        expect(await storage.pollCounts(session.id)).toEqual([{ poll: 'p', counts: [0, 0, 2], closed: false }]);
        expect(await storage.setPollVote(session.id, { poll: 'p', voterKey: 'v1', choice: 0, ts: NOW })).toBe('changed');
        expect(await storage.setPollVote(session.id, { poll: 'p', voterKey: 'v2', choice: 0, ts: NOW })).toBe('changed');
        // Up to the highest option anyone chose now.
        expect(await storage.pollCounts(session.id)).toEqual([{ poll: 'p', counts: [2], closed: false }]);
        expect((await storage.voterRecord(session.id, 'v1')).polls).toEqual([{ poll: 'p', choice: 0 }]);
      });

      it('refuses votes while closed, and reset reopens and empties', async () => {
        const session = await storage.openSession(TALK, NOW);
        await storage.setPollVote(session.id, { poll: 'p', voterKey: 'v1', choice: 1, ts: NOW });
        await storage.setPollClosed(session.id, 'p', true);
        await storage.setPollClosed(session.id, 'q', true);
        expect(await storage.setPollVote(session.id, { poll: 'p', voterKey: 'v2', choice: 1, ts: NOW })).toBe('closed');
        const byPoll = (tallies: Awaited<ReturnType<TalkStorage['pollCounts']>>) => [...tallies].sort((a, b) => a.poll.localeCompare(b.poll));
        expect(byPoll(await storage.pollCounts(session.id))).toEqual([
          { poll: 'p', counts: [0, 1], closed: true },
          { poll: 'q', counts: [], closed: true },
        ]);
        await storage.setPollClosed(session.id, 'q', false);
        expect(byPoll(await storage.pollCounts(session.id))).toEqual([{ poll: 'p', counts: [0, 1], closed: true }]);
        await storage.clearPoll(session.id, 'p');
        expect(await storage.pollCounts(session.id)).toEqual([]);
        expect((await storage.voterRecord(session.id, 'v1')).polls).toEqual([]);
        expect(await storage.setPollVote(session.id, { poll: 'p', voterKey: 'v2', choice: 0, ts: NOW })).toBe('changed');
      });

      it('keeps polls per session and per voter', async () => {
        const session = await storage.openSession(TALK, NOW);
        await storage.setPollVote(session.id, { poll: 'a', voterKey: 'v1', choice: 0, ts: NOW });
        await storage.setPollVote(session.id, { poll: 'b', voterKey: 'v1', choice: 3, ts: NOW });
        const fresh = await storage.startSession(TALK, NOW + 1);
        expect(await storage.pollCounts(fresh.id)).toEqual([]);
        expect((await storage.voterRecord(session.id, 'v1')).polls).toEqual([
          { poll: 'a', choice: 0 },
          { poll: 'b', choice: 3 },
        ]);
        expect((await storage.voterRecord(session.id, 'v2')).polls).toEqual([]);
      });

      it('counts concurrent voters exactly once', async () => {
        const session = await storage.openSession(TALK, NOW);
        const other = await second();
        await Promise.all(
          Array.from({ length: 40 }, (_, index) =>
            (index % 2 ? storage : other).setPollVote(session.id, { poll: 'p', voterKey: `v${index % 20}`, choice: index % 2, ts: NOW }),
          ),
        );
        const [tally] = await storage.pollCounts(session.id);
        expect(tally!.counts.reduce((sum, count) => sum + count, 0)).toBe(20);
      });
    });

    describe('word clouds and open text', () => {
      it('adds entries in order, each voter up to its allowance, one entry per word', async () => {
        const session = await storage.openSession(TALK, NOW);
        const first = await storage.addPollEntry(session.id, entry(), WORDS);
        expect(first).toEqual({
          ok: true,
          entry: { id: expect.any(Number), poll: 'w', authorId: 'author-1', name: 'Ada', text: 'Fast', key: 'fast', hidden: false, ts: NOW },
        });
        expect(await storage.addPollEntry(session.id, entry({ text: 'fast!' }), WORDS)).toEqual({ ok: false, reason: 'duplicate' });
        await storage.addPollEntry(session.id, entry({ text: '速い', key: '速い' }), WORDS);
        await storage.addPollEntry(session.id, entry({ text: 'async', key: 'async' }), WORDS);
        expect(await storage.addPollEntry(session.id, entry({ text: 'more', key: 'more' }), WORDS)).toEqual({ ok: false, reason: 'limit' });
        // Another voter, and the same voter in another poll, have allowances of their own.
        expect(await storage.addPollEntry(session.id, entry({ voterKey: 'v2', text: 'ＦＡＳＴ' }), WORDS)).toMatchObject({ ok: true });
        expect(await storage.addPollEntry(session.id, entry({ poll: 'x' }), WORDS)).toMatchObject({ ok: true });
        const all = await storage.pollEntries(session.id);
        expect(all.map((stored) => [stored.poll, stored.text])).toEqual([
          ['w', 'Fast'],
          ['w', '速い'],
          ['w', 'async'],
          ['w', 'ＦＡＳＴ'],
          ['x', 'Fast'],
        ]);
        expect(all.map((stored) => stored.id)).toEqual([...all.map((stored) => stored.id)].sort((a, b) => a - b));
        expect((await storage.voterRecord(session.id, 'v1')).entries.map((stored) => stored.text)).toEqual(['Fast', '速い', 'async', 'Fast']);
        expect((await storage.voterRecord(session.id, 'v3')).entries).toEqual([]);
        expect(JSON.stringify(all)).not.toContain('v1');
      });

      it('takes answers that repeat, up to the poll’s total', async () => {
        const session = await storage.openSession(TALK, NOW);
        const rules = { ...ANSWERS, total: 3 };
        const answer = (voterKey: string) => entry({ poll: 't', voterKey, text: 'Same answer', key: '' });
        expect(await storage.addPollEntry(session.id, answer('v1'), rules)).toMatchObject({ ok: true });
        expect(await storage.addPollEntry(session.id, answer('v1'), rules)).toMatchObject({ ok: true });
        expect(await storage.addPollEntry(session.id, answer('v1'), rules)).toEqual({ ok: false, reason: 'limit' });
        expect(await storage.addPollEntry(session.id, answer('v2'), rules)).toMatchObject({ ok: true });
        expect(await storage.addPollEntry(session.id, answer('v3'), rules)).toEqual({ ok: false, reason: 'full' });
      });

      it('refuses entries while closed and removed words; hides and shows entries', async () => {
        const session = await storage.openSession(TALK, NOW);
        const added = await storage.addPollEntry(session.id, entry({ poll: 't', key: '' }), ANSWERS);
        if (!added.ok) throw new Error('not added');
        expect(await storage.hidePollEntry(session.id, 't', added.entry.id, true)).toEqual({ ...added.entry, hidden: true });
        expect(await storage.hidePollEntry(session.id, 'w', added.entry.id, true)).toBeNull();
        expect(await storage.hidePollEntry(session.id, 't', added.entry.id + 1000, true)).toBeNull();
        expect((await storage.pollEntries(session.id))[0]!.hidden).toBe(true);
        expect(await storage.hidePollEntry(session.id, 't', added.entry.id, false)).toEqual(added.entry);

        await storage.hidePollWord(session.id, 'w', 'rude', true);
        expect(await storage.addPollEntry(session.id, entry({ text: 'Rude!', key: 'rude' }), WORDS)).toEqual({ ok: false, reason: 'hidden' });
        // The same key in open text, or in another cloud, is not affected.
        expect(await storage.addPollEntry(session.id, entry({ poll: 'w2', text: 'rude', key: 'rude' }), WORDS)).toMatchObject({ ok: true });
        expect(await storage.pollCounts(session.id)).toEqual([{ poll: 'w', counts: [], closed: false, hiddenWords: ['rude'] }]);
        await storage.hidePollWord(session.id, 'w', 'rude', false);
        expect(await storage.addPollEntry(session.id, entry({ text: 'Rude!', key: 'rude' }), WORDS)).toMatchObject({ ok: true });

        await storage.setPollClosed(session.id, 'w', true);
        expect(await storage.addPollEntry(session.id, entry({ text: 'late', key: 'late', voterKey: 'v9' }), WORDS)).toEqual({ ok: false, reason: 'closed' });
      });

      it('remembers what an open-text poll shows, and a reset forgets entries, removed words and what it shows', async () => {
        const session = await storage.openSession(TALK, NOW);
        await storage.addPollEntry(session.id, entry(), WORDS);
        await storage.addPollEntry(session.id, entry({ poll: 'keep', text: 'kept', key: 'kept' }), WORDS);
        await storage.hidePollWord(session.id, 'w', 'rude', true);
        await storage.setPollShown(session.id, 't', 'list');
        await storage.setPollShown(session.id, 'w', 'list');
        expect(await storage.pollCounts(session.id)).toEqual([
          { poll: 't', counts: [], closed: false, shown: 'list' },
          { poll: 'w', counts: [], closed: false, shown: 'list', hiddenWords: ['rude'] },
        ]);
        await storage.clearPoll(session.id, 'w');
        await storage.setPollShown(session.id, 't', '');
        expect(await storage.pollCounts(session.id)).toEqual([]);
        expect((await storage.pollEntries(session.id)).map((stored) => stored.poll)).toEqual(['keep']);
        expect((await storage.voterRecord(session.id, 'v1')).entries.map((stored) => stored.poll)).toEqual(['keep']);
        // The allowance is back after a reset.
        expect(await storage.addPollEntry(session.id, entry(), WORDS)).toMatchObject({ ok: true });
      });

      it('keeps entries per session', async () => {
        const session = await storage.openSession(TALK, NOW);
        await storage.addPollEntry(session.id, entry(), WORDS);
        const fresh = await storage.startSession(TALK, NOW + 1);
        expect(await storage.pollEntries(fresh.id)).toEqual([]);
        expect((await storage.voterRecord(fresh.id, 'v1')).entries).toEqual([]);
        expect(await storage.addPollEntry(fresh.id, entry(), WORDS)).toMatchObject({ ok: true });
      });

      it('never lets one voter past its allowance, even from two handles at once', async () => {
        const session = await storage.openSession(TALK, NOW);
        const other = await second();
        const outcomes = await Promise.all(
          Array.from({ length: 12 }, (_, index) =>
            (index % 2 ? storage : other).addPollEntry(session.id, entry({ text: `w${index}`, key: `w${index % 6}` }), WORDS),
          ),
        );
        expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(3);
        expect(new Set((await storage.pollEntries(session.id)).map((stored) => stored.key)).size).toBe(3);
      });
    });

    describe("a voter's record", () => {
      it('holds their question votes, poll choices and entries, and nothing of anyone else or another session', async () => {
        const session = await storage.openSession(TALK, NOW);
        const first = await storage.addQuestion(session.id, question());
        const second = await storage.addQuestion(session.id, question({ text: 'How?' }));
        await storage.setVote(session.id, second.id, 'v1', true);
        await storage.setVote(session.id, first.id, 'v1', true);
        await storage.setVote(session.id, first.id, 'v2', true);
        await storage.setPollVote(session.id, { poll: 'b', voterKey: 'v1', choice: 2, ts: NOW });
        await storage.setPollVote(session.id, { poll: 'a', voterKey: 'v1', choice: 0, ts: NOW });
        await storage.setPollVote(session.id, { poll: 'a', voterKey: 'v2', choice: 1, ts: NOW });
        await storage.addPollEntry(session.id, entry({ text: 'Fast', key: 'fast' }), WORDS);
        await storage.addPollEntry(session.id, entry({ voterKey: 'v2', text: 'Slow', key: 'slow' }), WORDS);
        await storage.addPollEntry(session.id, entry({ poll: 't', text: 'Because', key: 'because' }), ANSWERS);

        const record = await storage.voterRecord(session.id, 'v1');
        expect(record.questions).toEqual([first.id, second.id].sort((a, b) => a - b));
        expect(record.polls).toEqual([
          { poll: 'a', choice: 0 },
          { poll: 'b', choice: 2 },
        ]);
        expect(record.entries.map((stored) => [stored.poll, stored.text])).toEqual([
          ['w', 'Fast'],
          ['t', 'Because'],
        ]);
        expect(await storage.voterRecord(session.id, 'nobody')).toEqual({ questions: [], polls: [], entries: [] });
        const fresh = await storage.startSession(TALK, NOW + 1);
        expect(await storage.voterRecord(fresh.id, 'v1')).toEqual({ questions: [], polls: [], entries: [] });
      });
    });

    describe('bans and secrets', () => {
      it('bans per talk', async () => {
        const session = await storage.openSession(TALK, NOW);
        await storage.ban(TALK, session.id, { authorId: 'author-x', voterKeys: [], now: NOW });
        await storage.ban(TALK, session.id, { authorId: 'author-x', voterKeys: [], now: NOW + 1 });
        expect(await storage.isBanned(TALK, 'author-x')).toBe(true);
        expect(await storage.isBanned(TALK, 'author-y')).toBe(false);
        expect(await storage.isBanned('another-talk', 'author-x')).toBe(false);
      });

      it('takes away in one step what the banned person put in the session: messages, questions, votes, words and answers', async () => {
        const session = await storage.openSession(TALK, NOW);
        const theirs = await storage.addChat(session.id, { authorId: 'author-x', name: 'X', text: 'spam', ts: NOW });
        const kept = await storage.addChat(session.id, { authorId: 'author-y', name: 'Y', text: 'fine', ts: NOW });
        const theirQuestion = await storage.addQuestion(session.id, question({ authorId: 'author-x', voterKey: 'x-1' }));
        const otherQuestion = await storage.addQuestion(session.id, question({ authorId: 'author-y', voterKey: 'y-1' }));
        // Two clientIds of the banned person voted (a second tab), someone else too.
        for (const voter of ['x-1', 'x-2', 'y-1']) await storage.setVote(session.id, otherQuestion.id, voter, true);
        await storage.setPollVote(session.id, { poll: 'p', voterKey: 'x-2', choice: 1, ts: NOW });
        await storage.setPollVote(session.id, { poll: 'p', voterKey: 'y-1', choice: 1, ts: NOW });
        expect((await storage.voterKeys(session.id)).sort()).toEqual(['x-1', 'x-2', 'y-1']);
        const theirWord = await storage.addPollEntry(session.id, entry({ authorId: 'author-x', voterKey: 'x-1' }), WORDS);
        const theirAnswer = await storage.addPollEntry(session.id, entry({ poll: 't', authorId: 'author-x', voterKey: 'x-2', key: '' }), ANSWERS);
        await storage.addPollEntry(session.id, entry({ authorId: 'author-y', voterKey: 'y-1' }), WORDS);

        const outcome = await storage.ban(TALK, session.id, { authorId: 'author-x', voterKeys: ['x-1', 'x-2'], now: NOW });
        expect(outcome.deletedChat).toEqual([theirs.id]);
        expect(outcome.polls).toEqual(['p', 't', 'w']);
        // Their words and answers are hidden, not deleted: the export still shows what was taken down.
        expect(outcome.entries).toEqual([theirWord, theirAnswer].map((added) => added.ok && { ...added.entry, hidden: true }));
        expect((await storage.pollEntries(session.id)).map((stored) => [stored.authorId, stored.hidden])).toEqual([
          ['author-x', true],
          ['author-x', true],
          ['author-y', false],
        ]);
        expect(outcome.questions.map((q) => [q.id, q.hidden, q.votes])).toEqual([
          [theirQuestion.id, true, 0],
          [otherQuestion.id, false, 1],
        ]);
        expect(await storage.allChat(session.id)).toEqual([kept]);
        expect(await storage.pollCounts(session.id)).toEqual([{ poll: 'p', counts: [0, 1], closed: false }]);
        expect(await storage.votesOf(session.id, 'x-1')).toEqual([]);
        expect((await storage.voterRecord(session.id, 'x-2')).polls).toEqual([]);
        expect(await storage.isBanned(TALK, 'author-x')).toBe(true);
      });

      it('marks the banned person’s addresses: new people from them are held, people known at the mark are not', async () => {
        const session = await storage.openSession(TALK, NOW);
        const other = await storage.openSession('another-talk', NOW);
        expect(await storage.holdState(session.id, 'addr-1', 'author-new')).toBe('free');
        await storage.ban(TALK, session.id, { authorId: 'author-x', voterKeys: [], now: NOW, mark: { addressKeys: ['addr-1'], known: ['author-k'] } });
        expect(await storage.holdState(session.id, 'addr-1', 'author-new')).toBe('held');
        expect(await storage.holdState(session.id, 'addr-1', 'author-k')).toBe('free');
        expect(await storage.holdState(session.id, 'addr-2', 'author-new')).toBe('free');
        expect(await storage.holdState(other.id, 'addr-1', 'author-new')).toBe('free');
        // A known person is never held; a person once held stays held, from any address.
        expect(await storage.holdPerson(session.id, 'author-k', NOW)).toBe(false);
        expect(await storage.addHeldChat(session.id, { authorId: 'author-k', name: 'K', text: 'hi', ts: NOW })).toBeNull();
        expect(await storage.holdPerson(session.id, 'author-new', NOW + 1)).toBe(true);
        expect(await storage.holdState(session.id, 'addr-2', 'author-new')).toBe('held');
        const first = await storage.addHeldChat(session.id, { authorId: 'author-new', name: 'N', text: 'one', ts: NOW + 2 });
        const second = await storage.addHeldChat(session.id, { authorId: 'author-new', name: 'N', text: 'two', ts: NOW + 3 });
        await storage.addHeldChat(session.id, { authorId: 'author-m', name: 'M', text: 'mine', ts: NOW + 4 });
        expect(first).toMatchObject({ authorId: 'author-new', name: 'N', text: 'one', ts: NOW + 2 });
        // Held messages are not in the chat.
        expect(await storage.allChat(session.id)).toEqual([]);
        expect(await storage.recentChat(session.id, 10)).toEqual([]);
        expect(await storage.heldPeople(session.id)).toEqual({
          authorIds: ['author-new', 'author-m'],
          chat: [first, second, expect.objectContaining({ text: 'mine' })],
        });
        const waiting = await storage.addQuestion(session.id, question({ authorId: 'author-new', voterKey: 'new-1', pending: true }));

        const approved = await storage.approveHeld(session.id, 'author-new');
        expect(approved?.chat.map((message) => [message.authorId, message.text, message.ts])).toEqual([
          ['author-new', 'one', NOW + 2],
          ['author-new', 'two', NOW + 3],
        ]);
        expect(approved?.questions).toEqual([{ ...waiting, pending: false }]);
        expect(await storage.allChat(session.id)).toEqual(approved?.chat);
        expect(await storage.approveHeld(session.id, 'author-new')).toBeNull();
        expect(await storage.holdState(session.id, 'addr-1', 'author-new')).toBe('free');
        expect(await storage.heldPeople(session.id)).toEqual({ authorIds: ['author-m'], chat: [expect.objectContaining({ text: 'mine' })] });

        // Banning a held person takes what they sent while held, and marks nothing twice.
        await storage.ban(TALK, session.id, { authorId: 'author-m', voterKeys: [], now: NOW + 5, mark: { addressKeys: ['addr-1'], known: [] } });
        expect(await storage.heldPeople(session.id)).toEqual({ authorIds: [], chat: [] });
        // Approved chat ids come after every message there is.
        const later = await storage.addChat(session.id, { authorId: 'author-k', name: 'K', text: 'later', ts: NOW + 6 });
        expect(later.id).toBeGreaterThan(approved!.chat.at(-1)!.id);
      });

      it('keeps marks, held people and their messages when the store is opened again', async () => {
        const session = await storage.openSession(TALK, NOW);
        await storage.ban(TALK, session.id, { authorId: 'author-x', voterKeys: [], now: NOW, mark: { addressKeys: ['addr-1'], known: [] } });
        const held = await storage.addHeldChat(session.id, { authorId: 'author-new', name: 'N', text: 'waiting', ts: NOW });
        await storage.close();
        storage = await harness.open();
        expect(await storage.holdState(session.id, 'addr-1', 'author-other')).toBe('held');
        expect(await storage.heldPeople(session.id)).toEqual({ authorIds: ['author-new'], chat: [held] });
      });

      it('creates a secret once, even when asked at once from two handles', async () => {
        const other = await second();
        const [a, b] = await Promise.all([storage.getOrCreateSecret('s', () => 'from-a'), other.getOrCreateSecret('s', () => 'from-b')]);
        expect(a).toBe(b);
        expect(await storage.getOrCreateSecret('s', () => 'later')).toBe(a);
      });
    });

    it('keeps every acknowledged write when the store is opened again', async () => {
      const session = await storage.openSession(TALK, NOW);
      const message = await storage.addChat(session.id, { authorId: 'a', name: 'A', text: 'durable', ts: NOW });
      const asked = await storage.addQuestion(session.id, question());
      await storage.updateControl(session.id, (state) => reduceTalk(state, { type: 'chat:lock', locked: true }));
      await storage.setPollVote(session.id, { poll: 'p', voterKey: 'v1', choice: 1, ts: NOW });
      const word = await storage.addPollEntry(session.id, entry({ text: '速い。', key: '速い' }), WORDS);
      await storage.ban(TALK, session.id, { authorId: 'author-z', voterKeys: [], now: NOW });
      await storage.recordAudience(session.id, 4, NOW + 5);
      await storage.addReactions(session.id, { h: 0, v: 0 }, { '👍': 2 });
      await storage.setLive({ talkId: TALK, sessionId: session.id });
      await storage.close();
      storage = await harness.open();
      expect((await storage.openSession(TALK, NOW + 1)).id).toBe(session.id);
      expect(await storage.allChat(session.id)).toEqual([message]);
      expect(await storage.listQuestions(session.id)).toEqual([asked]);
      expect((await storage.getSession(session.id))?.control.chatLocked).toBe(true);
      expect(await storage.pollCounts(session.id)).toEqual([{ poll: 'p', counts: [0, 1], closed: false }]);
      expect(word.ok && (await storage.pollEntries(session.id))).toEqual([word.ok && word.entry]);
      expect(await storage.isBanned(TALK, 'author-z')).toBe(true);
      expect(await storage.sessionActivity(session.id)).toEqual({
        timeline: [],
        audience: [{ ts: NOW + 5, n: 4 }],
        reactions: [{ h: 0, v: 0, emoji: '👍', count: 2 }],
      });
      expect(await storage.getLive()).toEqual({ talkId: TALK, sessionId: session.id });
    });

    it('reports that writes get through', async () => {
      expect(await storage.health()).toEqual({ ok: true });
      await storage.openSession(TALK, NOW);
      expect(await storage.health()).toEqual({ ok: true });
    });

    it('refuses calls after close with StorageUnavailableError', async () => {
      await storage.close();
      await expect(storage.openSession(TALK, NOW)).rejects.toMatchObject({ name: 'StorageUnavailableError' });
      storage = await harness.open();
    });
  });
}
