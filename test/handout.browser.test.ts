/**
 * The take-away: when the presenter ends the talk, a phone at the join URL
 * switches to the handout, pages ahead freely, and sees the room's questions
 * with its own marked; /series lists the talk and links to that handout.
 * Nothing private (hidden questions, speaker notes, names, the presenter
 * token) is in /series, the handout or any response their pages load.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionList } from '../src/shared/protocol.js';
import { axeViolations } from './axe.js';
import { PHONE, screenshot, trackErrors } from './browser.js';
import { audience, browserFixture, presenter, tempDir, TEST_TOKEN, type TestClient } from './helpers.js';

const NOTES_SECRET = 'speaker-note-only: mention the pager story';
const HIDDEN_QUESTION = 'hidden question the room must not keep';
const ASKER_NAME = 'Named Asker';

const TALK = `---
title: Handout drill
author: Ada Presenter
duration: 5
---

# Handout drill

Opening words, with [the source post](https://example.com/post) to keep.

Note:
${NOTES_SECRET}

---

## Stack top

- first point
- second point <!-- .element: class="fragment" -->

--

## Stack below

\`\`\`js
socket.emit('hello');
\`\`\`

---

## Vote

<div data-widget="poll" data-poll="drill" data-question="Was it useful?" data-options="Yes|Somewhat|No"></div>

---

## Thanks

Read more at [Socket.IO docs](https://socket.io/docs/v4/).
`;

describe('the handout and /series', () => {
  const fixture = browserFixture(() => {
    const folder = tempDir();
    fs.writeFileSync(path.join(folder, 'drill.md'), TALK);
    return { slidesDir: folder, talkFile: path.join(folder, 'drill.md') };
  });
  const { sockets } = fixture;
  let context: BrowserContext;
  let phone: Page;
  let errors: string[];
  let boss: TestClient;
  let sessionId = 0;
  const texts = { mine: 'my own question about backpressure', voted: 'what about server-sent events?', other: 'does it scale to a thousand phones?' };

  beforeAll(async () => {
    context = await fixture.browser.newContext({ ...PHONE, viewport: { width: 320, height: 568 } });
    phone = await context.newPage();
    errors = trackErrors(phone);
    await phone.goto(`${fixture.server.url}/`);
    await phone.waitForFunction(() => document.querySelector('.status')?.textContent === 'live');
    const clientId = await phone.evaluate(() => localStorage.getItem('livedeck.clientId') ?? '');

    const connected = await presenter(fixture.server.url);
    boss = connected.socket;
    sockets.push(boss);
    sessionId = connected.snapshot.sessionId;
    // The phone's person asks and votes from a second socket with its clientId; two others ask, one is hidden.
    const me = (await audience(fixture.server.url, clientId, ASKER_NAME)).socket;
    const other = (await audience(fixture.server.url, 'handout-other-1', ASKER_NAME)).socket;
    sockets.push(me, other);
    const mine = await me.emitWithAck('question:ask', { text: texts.mine });
    const voted = await other.emitWithAck('question:ask', { text: texts.voted });
    const hidden = await other.emitWithAck('question:ask', { text: HIDDEN_QUESTION });
    await other.emitWithAck('question:ask', { text: texts.other });
    if (!mine.ok || !voted.ok || !hidden.ok) throw new Error('could not ask');
    expect(await me.emitWithAck('question:vote', { id: voted.question.id, up: true })).toMatchObject({ ok: true });
    expect(await boss.emitWithAck('question:answer', { id: voted.question.id, answered: true })).toMatchObject({ ok: true });
    expect(await boss.emitWithAck('question:hide', { id: hidden.question.id })).toMatchObject({ ok: true });
    expect(await me.emitWithAck('poll:vote', { poll: 'drill', option: 0 })).toMatchObject({ ok: true });
    expect(await other.emitWithAck('poll:vote', { poll: 'drill', option: 1 })).toMatchObject({ ok: true });

    // The room is counted on the server's tick: three phones (the page and two sockets) before the talk ends.
    const peak = async () => {
      const list = await fetch(`${fixture.server.url}/api/presenter/sessions`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } });
      return ((await list.json()) as SessionList).sessions.find((session) => session.id === sessionId)?.peakAudience;
    };
    await vi.waitFor(async () => expect(await peak()).toBe(3), { timeout: 10_000, interval: 100 });
    expect(await boss.emitWithAck('session:end', {})).toMatchObject({ ok: true, sessionId });
    // The phone loads the join URL again and finds the handout there.
    await phone.waitForSelector('.handout-questions', { timeout: 20_000 });
  });

  it('switches the phone to the handout at the join URL when the talk ends', async () => {
    expect(new URL(phone.url()).pathname).toBe('/');
    expect(await phone.textContent('.talk-title')).toBe('Handout drill');
    expect(await phone.textContent('.handout-byline')).toContain('Ada Presenter');
    await screenshot(phone, 'handout-320x568');
    expect(await axeViolations(phone)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('pages ahead freely through every slide, fragments shown', async () => {
    const heading = () => phone.evaluate(() => [...document.querySelectorAll('.handout-deck section.present')].at(-1)?.querySelector('h1, h2')?.textContent);
    expect(await heading()).toBe('Handout drill');
    expect(await phone.locator('.handout-picker option').count()).toBe(5);
    await phone.click('.handout-next');
    expect(await heading()).toBe('Stack top');
    expect(
      await phone
        .locator('.handout-deck section.present .fragment')
        .first()
        .evaluate((node) => getComputedStyle(node).visibility),
    ).toBe('visible');
    await phone.click('.handout-next');
    expect(await heading()).toBe('Stack below');
    await phone.selectOption('.handout-picker', '4');
    expect(await heading()).toBe('Thanks');
    expect(await phone.isDisabled('.handout-next')).toBe(true);
    await phone.focus('.handout-deck');
    await phone.keyboard.press('ArrowLeft');
    expect(await heading()).toBe('Vote');
    expect(await phone.textContent('.handout-deck section.present')).toContain('results are under “Polls”');
  });

  it('lists the links, the questions with their state and this person’s own marked, and the poll results', async () => {
    expect(await phone.$$eval('.handout-links a', (links) => links.map((link) => link.getAttribute('href')))).toEqual([
      'https://example.com/post',
      'https://socket.io/docs/v4/',
    ]);
    const questions = await phone.$$eval('.handout-question', (items) =>
      items.map((item) => ({
        text: item.querySelector('.handout-question-text')?.textContent,
        className: item.className,
        badges: item.querySelector('.handout-badges')?.textContent,
      })),
    );
    expect(questions.map((question) => question.text)).toEqual([texts.voted, texts.mine, texts.other]);
    expect(questions[0]).toMatchObject({ className: expect.stringContaining('is-voted'), badges: expect.stringContaining('Answered') });
    expect(questions[1]).toMatchObject({ className: expect.stringContaining('is-mine'), badges: expect.stringContaining('Not answered') });
    expect(questions[2]!.className).not.toMatch(/is-mine|is-voted/);
    expect(await phone.textContent('.handout-poll')).toContain('50% (1)');
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.evaluate(() => document.querySelector('#handout-questions')?.scrollIntoView());
    await screenshot(phone, 'handout-questions-390x844');
  });

  it('lists the talk on /series, linking to a handout a stranger can page through', async () => {
    const stranger = await (await fixture.browser.newContext({ ...PHONE, viewport: { width: 390, height: 844 } })).newPage();
    const strangerErrors = trackErrors(stranger);
    const bodies: string[] = [];
    stranger.on('response', (response) => {
      bodies.push(`${response.url()} ${JSON.stringify(response.headers())}`);
      void response.text().then(
        (text) => bodies.push(text),
        () => undefined,
      );
    });
    await stranger.goto(`${fixture.server.url}/series`);
    expect(await stranger.textContent('.series li')).toContain('Handout drill');
    expect(await stranger.textContent('.series li')).toContain('Ada Presenter');
    expect(await stranger.textContent('.series li .peak')).toBe('3peak audience');
    await screenshot(stranger, 'series-390x844');
    expect(await axeViolations(stranger)).toEqual([]);
    await stranger.click(`.series a[href="/handout/${sessionId}"]`);
    await stranger.waitForSelector('.handout-questions');
    await stranger.click('.handout-next');
    // A stranger's handout marks nothing as theirs.
    expect(await stranger.locator('.handout-question.is-mine, .handout-question.is-voted').count()).toBe(0);
    await expect.poll(() => bodies.some((body) => body.includes(texts.mine))).toBe(true);
    const everything = bodies.join('\n');
    for (const secret of [HIDDEN_QUESTION, NOTES_SECRET, ASKER_NAME, TEST_TOKEN]) expect(everything).not.toContain(secret);
    expect(strangerErrors).toEqual([]);
  });

  it('keeps private material out of every public answer about the session', async () => {
    const answers = await Promise.all(
      ['/series', `/handout/${sessionId}`, `/api/handout/${sessionId}`, '/api/talk', '/'].map(async (route) => {
        const response = await fetch(`${fixture.server.url}${route}`, { headers: { 'X-Livedeck-Client': 'handout-other-1' } });
        return `${route} ${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`;
      }),
    );
    for (const answer of answers) {
      for (const secret of [HIDDEN_QUESTION, NOTES_SECRET, ASKER_NAME, TEST_TOKEN]) expect(answer).not.toContain(secret);
    }
    // Reports and exports stay behind the token.
    for (const file of ['report.html', 'report.json', 'export.md', 'export.json']) {
      expect((await fetch(`${fixture.server.url}/api/presenter/sessions/${sessionId}/${file}`)).status).toBe(401);
    }
  });
});
