/**
 * Hostile room, round two, item 7: after 1,974 questions every join carried
 * an 817 KB snapshot. A join now carries the top questions, the phone's own
 * and the spotlighted one whatever the history; the rest comes a page at a
 * time; and one person can ask only so many questions in a session.
 */
import { describe, expect, it } from 'vitest';
import { QUESTIONS_IN_PRESENTER_SNAPSHOT, QUESTIONS_IN_SNAPSHOT, QUESTIONS_PAGE } from '../../src/shared/limits.js';
import type { QuestionView } from '../../src/shared/protocol.js';
import { audience, presenter, serverFixture } from '../helpers.js';

const SEEDED = 2000;
const LONG_TEXT = 'Why '.repeat(69);

describe('hostile room, round two: a join after thousands of questions', () => {
  const { sockets, start } = serverFixture();

  it('carries a bounded snapshot with the phone’s own and the spotlighted question; the rest pages; a person’s questions are capped', async () => {
    const server = await start({ maxQuestionsPerPerson: 2 });
    const mine = await audience(server.url, 'join-snapshot-mine');
    sockets.push(mine.socket);
    const asked = await mine.socket.emitWithAck('question:ask', { text: 'My own question, with no votes but mine' });
    if (!asked.ok) throw new Error('ask failed');

    // 2,000 questions of 280 characters from 2,000 people, as 8 addresses managed in 90 s.
    const sessionId = server.room.sessionId;
    const seeded: number[] = [];
    for (let batch = 0; batch < SEEDED; batch += 200) {
      const added = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          server.room.storage.addQuestion(sessionId, {
            authorId: `seed-${batch + index}`,
            name: 'Seed',
            text: LONG_TEXT,
            ts: Date.now(),
            slide: { h: 0, v: 0 },
            voterKey: `seed-voter-${batch + index}`,
          }),
        ),
      );
      seeded.push(...added.map((question) => question.id));
    }
    // A few get more votes, so "top" means something; one low question is in the spotlight.
    for (const id of seeded.slice(0, 5)) await server.room.storage.setVote(sessionId, id, 'join-snapshot-voter', true);
    const boss = await presenter(server.url);
    sockets.push(boss.socket);
    const spotlit = seeded[1500]!;
    expect(await boss.socket.emitWithAck('question:spotlight', { id: spotlit })).toEqual({ ok: true });

    const late = await audience(server.url, 'join-snapshot-late');
    sockets.push(late.socket);
    expect(late.snapshot.questionsTotal).toBe(SEEDED + 1);
    expect(late.snapshot.questions.length).toBeLessThanOrEqual(QUESTIONS_IN_SNAPSHOT + 1);
    expect(late.snapshot.questions.slice(0, 5).map((question) => question.votes)).toEqual([2, 2, 2, 2, 2]);
    expect(late.snapshot.questions.some((question) => question.id === spotlit)).toBe(true);
    const bytes = Buffer.byteLength(JSON.stringify(late.snapshot));
    expect(bytes).toBeLessThan(64 * 1024);

    // The asker's own question, with a single vote, comes with its join however far down it ranks.
    const back = await audience(server.url, 'join-snapshot-mine');
    sockets.push(back.socket);
    expect(back.snapshot.questions.find((question) => question.id === asked.question.id)).toMatchObject({ voted: true });
    expect(back.snapshot.questions.length).toBeLessThanOrEqual(QUESTIONS_IN_SNAPSHOT + 2);

    // The presenter's join is bounded too.
    expect(boss.snapshot.questions.length).toBeLessThanOrEqual(QUESTIONS_IN_PRESENTER_SNAPSHOT + 1);

    // The rest, a page at a time, in the same order and without overlap.
    const first = await late.socket.emitWithAck('question:list', { offset: 0 });
    const second = await late.socket.emitWithAck('question:list', { offset: QUESTIONS_PAGE });
    if (!first.ok || !second.ok) throw new Error('list failed');
    expect(first.total).toBe(SEEDED + 1);
    expect(second.questions).toHaveLength(QUESTIONS_PAGE);
    const firstIds = new Set(first.questions.map((question: QuestionView) => question.id));
    expect(second.questions.some((question: QuestionView) => firstIds.has(question.id))).toBe(false);
    const last = await late.socket.emitWithAck('question:list', { offset: SEEDED });
    expect(last).toMatchObject({ ok: true, total: SEEDED + 1 });
    expect(last.ok && last.questions).toHaveLength(1);

    // A person's questions per session are capped (2 here; 20 by default).
    expect(await mine.socket.emitWithAck('question:ask', { text: 'Second' })).toMatchObject({ ok: true });
    expect(await mine.socket.emitWithAck('question:ask', { text: 'Third' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The presenter is not capped.
    for (const text of ['P1', 'P2', 'P3']) expect(await boss.socket.emitWithAck('question:ask', { text })).toMatchObject({ ok: true });
  });
});
