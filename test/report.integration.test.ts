/**
 * A session's report against what the test did, over real sockets and HTTP
 * with the server's clock in the test's hand: N phones, M reactions on
 * slide k, questions and chat on known slides, a poll, and time on each
 * slide measured from the recorded timeline. The JSON report, both exports
 * and the HTML report carry the same figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionFigures } from '../demo-server/report/session-figures.js';
import type { SessionExport } from '../demo-server/http/export.js';
import type { LiveDeckServer } from '../demo-server/server.js';
import { audience, closeAll, presenter, startServer, tempDir, TEST_TOKEN, type TestClient } from './helpers.js';

/** Four minutes over three slides weighted 1, 2, 1: one minute, two, one. */
const TALK = `---
title: Report drill
author: Test Author
duration: 4
---

# Opening

Note:
Pace: 1

---

## The middle

<div data-widget="poll" data-poll="drill-poll" data-question="Useful?" data-options="Very|Somewhat|Not yet"></div>

Note:
Pace: 2

---

## The end

Note:
Pace: 1
`;

const T0 = Date.UTC(2025, 4, 20, 16, 0, 0);
const bearer = { Authorization: `Bearer ${TEST_TOKEN}` };

describe('the session report', () => {
  let clock = T0;
  let server: LiveDeckServer;
  let boss: TestClient;
  const phones: TestClient[] = [];
  let sessionId = 0;
  let figures: SessionFigures;

  const at = (seconds: number) => {
    clock = T0 + seconds * 1000;
  };
  const get = (file: string) => fetch(`${server.url}/api/presenter/sessions/${sessionId}/${file}`, { headers: bearer });
  const report = async () => (await (await get('report.json')).json()) as SessionFigures;
  /** Waits for the report to show what the server records asynchronously (audience ticks, reaction bursts). */
  const until = (check: (figures: SessionFigures) => unknown) =>
    vi.waitFor(async () => expect(check(await report())).toBe(true), { timeout: 10_000, interval: 100 });

  beforeAll(async () => {
    const folder = tempDir();
    fs.writeFileSync(path.join(folder, 'drill.md'), TALK);
    server = await startServer({ slidesDir: folder, talkFile: path.join(folder, 'drill.md'), now: () => clock });
    const connected = await presenter(server.url);
    boss = connected.socket;
    sessionId = connected.snapshot.sessionId;

    // Three phones join 5 s in; the room's count is sampled at the server's clock.
    at(5);
    for (const id of ['report-phone-1', 'report-phone-2', 'report-phone-3']) phones.push((await audience(server.url, id)).socket);
    await until((figures) => figures.audience.peak === 3);

    // The timer starts at 10 s on slide 1; slide 2 at 70 s.
    at(10);
    expect(await boss.emitWithAck('timer:control', { action: 'start' })).toMatchObject({ ok: true });
    at(70);
    expect(await boss.emitWithAck('slide:set', { h: 1, v: 0, f: -1 })).toMatchObject({ ok: true });

    // On slide 2: 5 reactions, two questions (one answered, one hidden), a vote, the poll.
    at(80);
    const [a, b, c] = phones as [TestClient, TestClient, TestClient];
    for (const [phone, emoji] of [
      [a, '👏'],
      [b, '👏'],
      [c, '👏'],
      [a, '❤️'],
      [b, '🤯'],
    ] as const) {
      phone.emit('reaction:send', { emoji });
    }
    await until((figures) => figures.slides[1]?.reactionTotal === 5);
    const kept = await a.emitWithAck('question:ask', { text: 'Which slide had the most applause?' });
    const hidden = await b.emitWithAck('question:ask', { text: 'A question the presenter hid from the report page' });
    if (!kept.ok || !hidden.ok) throw new Error('could not ask');
    await c.emitWithAck('question:vote', { id: kept.question.id, up: true });
    await boss.emitWithAck('question:answer', { id: kept.question.id, answered: true });
    await boss.emitWithAck('question:hide', { id: hidden.question.id });
    await a.emitWithAck('poll:vote', { poll: 'drill-poll', option: 0 });
    await b.emitWithAck('poll:vote', { poll: 'drill-poll', option: 0 });
    await c.emitWithAck('poll:vote', { poll: 'drill-poll', option: 2 });

    // Slide 3 at 200 s; two chat messages there at 210 s; a phone leaves; pause at 260 s; end at 300 s.
    at(200);
    await boss.emitWithAck('slide:set', { h: 2, v: 0, f: -1 });
    at(210);
    await a.emitWithAck('chat:send', { text: 'Great talk' });
    await b.emitWithAck('chat:send', { text: 'Thanks!' });
    at(230);
    c.close();
    await until((figures) => figures.audience.samples.at(-1)?.n === 2);
    at(260);
    await boss.emitWithAck('timer:control', { action: 'pause' });
    at(300);
    expect(await boss.emitWithAck('session:end', {})).toEqual({ ok: true, ended: sessionId, sessionId });
    figures = await report();
  });

  afterAll(async () => {
    closeAll(boss, ...phones);
    await server?.close();
  });

  it('counts the audience over time and its peak', () => {
    expect(figures.audience.peak).toBe(3);
    // Samples are taken on the server's once-a-second tick, at the test's clock: the phones joined at 5 s.
    const joined = figures.audience.samples.findIndex((sample) => sample.n === 3);
    expect(figures.audience.samples[joined]).toEqual({ atMs: 5_000, n: 3 });
    for (const sample of figures.audience.samples.slice(0, joined)) expect(sample.atMs).toBeLessThanOrEqual(5_000);
    expect(figures.audience.samples.at(-1)).toEqual({ atMs: 230_000, n: 2 });
    expect(figures.session).toMatchObject({ id: sessionId, startedAt: T0, endedAt: T0 + 300_000, open: false, lengthMs: 300_000 });
  });

  it('measures time on each slide from the timeline, while the timer ran, against the Pace plan', () => {
    expect(figures.slides.map(({ label, title, spentMs, plannedMs, visits }) => ({ label, title, spentMs, plannedMs, visits }))).toEqual([
      { label: '1', title: 'Opening', spentMs: 60_000, plannedMs: 60_000, visits: 1 },
      { label: '2', title: 'The middle', spentMs: 130_000, plannedMs: 120_000, visits: 1 },
      { label: '3', title: 'The end', spentMs: 60_000, plannedMs: 60_000, visits: 1 },
    ]);
    expect(figures.pace).toEqual({ measuredBy: 'timer', spokenMs: 250_000, plannedMs: 240_000, overMs: 10_000 });
  });

  it('puts reactions, questions and chat on the slides they were sent on', () => {
    const [first, middle, end] = figures.slides;
    expect(middle).toMatchObject({ reactions: { '👏': 3, '❤️': 1, '🤯': 1 }, reactionTotal: 5, questions: 2, messages: 0 });
    expect(first).toMatchObject({ reactionTotal: 0, questions: 0, messages: 0 });
    expect(end).toMatchObject({ reactionTotal: 0, questions: 0, messages: 2 });
    expect(figures.totals).toEqual({ reactions: 5, questions: 2, messages: 2 });
  });

  it('has the poll results and the questions by votes with their state', () => {
    expect(figures.polls).toEqual([
      {
        kind: 'poll',
        id: 'drill-poll',
        question: 'Useful?',
        options: [
          { label: 'Very', votes: 2 },
          { label: 'Somewhat', votes: 0 },
          { label: 'Not yet', votes: 1 },
        ],
        total: 3,
        closed: false,
      },
    ]);
    expect(figures.questions).toMatchObject({ answered: 1, unanswered: 0, hidden: 1 });
    expect(figures.questions.byVotes.map(({ text, votes, answered, hidden, slide }) => ({ text, votes, answered, hidden, slide }))).toEqual([
      { text: 'Which slide had the most applause?', votes: 2, answered: true, hidden: false, slide: '2' },
      { text: 'A question the presenter hid from the report page', votes: 1, answered: false, hidden: true, slide: '2' },
    ]);
  });

  it('carries the same figures in the JSON and Markdown exports', async () => {
    const json = (await (await get('export.json')).json()) as SessionExport;
    expect(json.figures).toEqual(figures);
    const markdown = await (await get('export.md')).text();
    expect(markdown).toContain('- Peak audience: 3');
    expect(markdown).toContain('- Overall pace: 4:10 spoken for 4:00 planned (0:10 over), on the talk timer');
    expect(markdown).toContain('| 2 | The middle | 2:10 | 2:00 | 1 | 5 | 2 | 0 |');
    expect(markdown).toContain('| 3 | The end | 1:00 | 1:00 | 1 | 0 | 0 | 2 |');
  });

  it('renders one self-contained HTML report: charts as SVG, no script, nothing to fetch', async () => {
    const response = await get('report.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html.match(/<svg class="chart"/g)).toHaveLength(5);
    expect(html).toContain('peak 3 at 0:05');
    expect(html).toContain('0:10 over');
    // The presenter's report does show hidden questions (it is theirs), escaped as text.
    expect(html).toContain('A question the presenter hid from the report page');
    expect((await fetch(`${server.url}/api/presenter/sessions/${sessionId}/report.html`)).status).toBe(401);
  });
});
