/**
 * The screens in Japanese: a phone whose browser asks for Japanese gets the
 * widgets' strings from the Japanese table, wrapped inside a 320 px screen,
 * and can switch to English and back (kept on the device); the console and
 * the projector follow their browser's language too. Screenshots land in
 * test-results/ (ja-*.png).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../demo-server/options.js';
import { en } from '../src/i18n/en.js';
import { ja } from '../src/i18n/ja.js';
import { axeViolations } from './axe.js';
import { screenshot, trackErrors } from './browser.js';
import { audience, browserFixture, presenter, TEST_TOKEN } from './helpers.js';

/** slides/widgets-tour.md: the word cloud, open text, chat and race each on their own slide. */
const SLIDES = { words: { h: 5, v: 0, f: -1 }, text: { h: 6, v: 0, f: -1 }, chat: { h: 7, v: 0, f: -1 }, race: { h: 8, v: 0, f: -1 } };
const JA_PHONE: BrowserContextOptions = { viewport: { width: 320, height: 568 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'ja-JP' };

describe('the screens in Japanese', () => {
  const fixture = browserFixture({ talkFile: path.join(PROJECT_ROOT, 'slides', 'widgets-tour.md') });
  const { sockets } = fixture;
  const errors: string[] = [];
  /** The question a phone asks in the console test; the projector test puts it on stage. */
  let questionId = 0;

  async function open(options: BrowserContextOptions, url: string): Promise<Page> {
    const page = await (await fixture.browser.newContext(options)).newPage();
    errors.push(...trackErrors(page));
    await page.goto(`${fixture.server.url}${url}`);
    return page;
  }

  const language = (page: Page) => page.evaluate(() => document.documentElement.lang);
  /** Elements whose text is cut off: wider than their box (with a pixel for rounding), as "tag.class: text". */
  const clipped = (page: Page, selector: string) =>
    page.evaluate(
      (selector) =>
        [...document.querySelectorAll<HTMLElement>(selector)]
          .filter(
            (element) =>
              element.offsetParent !== null &&
              !element.closest('.reveal') &&
              element.scrollWidth > element.clientWidth + 1 &&
              getComputedStyle(element).overflowX !== 'auto',
          )
          .map((element) => `${element.tagName.toLowerCase()}.${element.className}: ${element.textContent?.trim().slice(0, 40)}`),
      selector,
    );
  /** Reveal has finished sliding the current slide in: it stands centred on the screen. */
  const settled = (page: Page) =>
    expect
      .poll(() =>
        page.evaluate(() => {
          const box = [...document.querySelectorAll('.reveal .slides section.present')].at(-1)?.getBoundingClientRect();
          return box ? Math.abs(box.left + box.width / 2 - innerWidth / 2) : Infinity;
        }),
      )
      .toBeLessThan(2);
  /** Nothing wider than the screen: Japanese lines break inside it. */
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  beforeAll(async () => {
    await fixture.server.room.changeControl({ type: 'slide:set', position: SLIDES.words });
  });

  it('speaks Japanese on a phone that asks for it, fits 320 px, and switches to English and back', async () => {
    const phone = await open(JA_PHONE, '/');
    await expect.poll(() => language(phone)).toBe('ja');
    const card = phone.locator('.live-card .entry-form');
    await expect.poll(() => card.locator('input').getAttribute('placeholder')).toBe(ja['words.placeholder']);
    await card.locator('input').fill('非同期');
    await card.locator('button').click();
    await expect.poll(() => phone.locator('.live-card .entry-status').textContent()).toContain('非同期');
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(phone, 'ja-phone-words-320x568');

    await fixture.server.room.changeControl({ type: 'slide:set', position: SLIDES.text });
    const answers = phone.locator('.live-card .answers');
    await expect.poll(() => answers.locator('textarea').getAttribute('placeholder')).toBe(ja['text.placeholder']);
    await answers.locator('textarea').fill('リアルタイムのウェブで、日本語の長い回答が画面の幅の中できちんと折り返されるかどうかを確かめるための文章です。');
    await answers.locator('button[type="submit"]').click();
    await expect.poll(() => answers.locator('.answer-mine li').count()).toBe(1);
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(phone, 'ja-phone-text-320x568');

    // The switcher names the other language in its own words; the choice outlasts a reload.
    const toggle = phone.locator('.language-switch');
    expect(await toggle.textContent()).toBe('English');
    await toggle.click();
    await expect.poll(() => language(phone)).toBe('en');
    await expect.poll(() => answers.locator('textarea').getAttribute('placeholder')).toBe(en['text.placeholder']);
    await phone.reload();
    await expect.poll(() => language(phone)).toBe('en');
    await expect.poll(() => phone.locator('.language-switch').textContent()).toBe('日本語');
    await phone.locator('.language-switch').click();
    await expect.poll(() => language(phone)).toBe('ja');
    await fixture.server.room.changeControl({ type: 'slide:set', position: SLIDES.words });
  });

  it('shows the phone’s own chrome in Japanese: tabs, inputs, name, status lines and empty states, inside 320 and 390 px', async () => {
    const phone = await open(JA_PHONE, '/');
    await expect.poll(() => language(phone)).toBe('ja');
    await expect.poll(() => phone.textContent('.status')).toBe(ja['connection.live']);
    // No presenter screen is connected in this test: the phone says so, in Japanese.
    await phone.locator('.presenter-status').waitFor();
    expect(await phone.textContent('.presenter-status')).toBe(ja['phone.presenter-reconnecting']);
    expect(await phone.textContent('#tab-chat')).toBe(ja['phone.tab-chat']);
    expect(await phone.getAttribute('#view-chat input', 'placeholder')).toBe(ja['phone.chat-placeholder']);
    expect(await phone.textContent('.chat-list .empty')).toBe(ja['phone.chat-empty']);
    expect(await phone.textContent('.name-text')).toMatch(/^あなた: /);
    expect(await phone.getAttribute('.deck-frame', 'aria-label')).toBe(ja['phone.live-slide']);
    expect(await phone.$$eval('.reactions .reaction', (buttons) => buttons.map((button) => button.getAttribute('aria-label')))).toContain(
      ja['reaction.thumbs-up'],
    );
    await phone.locator('#view-chat input').fill('こんにちは、後ろの席から見ています');
    await phone.locator('#view-chat input').press('Enter');
    await expect.poll(() => phone.locator('.chat-list li:not(.empty)').count()).toBe(1);
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(phone, 'ja-phone-chat-320x568');
    await phone.click('#tab-questions');
    await expect.poll(() => phone.textContent('.question-list .empty')).toBe(ja['phone.questions-empty']);
    expect(await phone.getAttribute('#view-questions input', 'placeholder')).toBe(ja['phone.question-placeholder']);
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(phone, 'ja-phone-questions-320x568');
    expect(await axeViolations(phone)).toEqual([]);
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.click('#tab-chat');
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(phone, 'ja-phone-chat-390x844');
    await phone.click('.name-button');
    await phone.locator('.name-dialog[open]').waitFor();
    expect(await phone.textContent('.name-form .cancel')).toBe(ja['phone.cancel']);
    await screenshot(phone, 'ja-phone-name-390x844');
    await phone.click('.name-form .cancel');
  });

  it('stays English on a phone that asks for another language', async () => {
    const phone = await open({ ...JA_PHONE, locale: 'fr-FR' }, '/');
    await expect.poll(() => language(phone)).toBe('en');
    await expect.poll(() => phone.locator('.live-card .entry-form input').getAttribute('placeholder')).toBe(en['words.placeholder']);
    expect(await phone.locator('.language-switch').textContent()).toBe('日本語');
  });

  it('shows the console in Japanese at 1280×800: every panel, nothing cut off, and the phones’ refusals in Japanese', async () => {
    const guest = await audience(fixture.server.url, 'phone-ja-question');
    sockets.push(guest.socket);
    const asked = await guest.socket.emitWithAck('question:ask', { text: 'WebSocket とロングポーリングはどう使い分けますか？' });
    if (!asked.ok) throw new Error(asked.error.message);
    questionId = asked.question.id;

    const desk = await open({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' }, `/present/console#token=${TEST_TOKEN}`);
    await expect.poll(() => language(desk)).toBe('ja');
    await expect.poll(() => desk.textContent('.connection')).toBe(ja['connection.live']);
    await expect.poll(() => desk.locator('.poll-panel .panel-title').first().textContent()).toBe(ja['console.panel-words']);
    await expect.poll(() => desk.locator('.console-questions .question').count()).toBe(1);
    const text = (selector: string) => desk.locator(selector).first().textContent();
    expect(await text('.timer-panel .phase-label')).toBe(ja['timer.not-started']);
    expect(await text('.timer-start')).toBe(ja['timer.start']);
    expect(await text('.pace-indicator')).toBe(ja['timer.idle']);
    expect(await text('.end-talk')).toBe(ja['console.end-talk']);
    expect(await text('.nav-next')).toBe(ja['console.next']);
    expect(await text('.blank-toggle')).toBe(ja['screen.blank']);
    expect(await text('.chat-lock')).toBe(ja['console.chat-lock']);
    expect(await text('.questions-panel .panel-title')).toBe('質問 · 未回答 1');
    expect(await desk.locator('.console-questions .actions button').allTextContents()).toEqual([
      ja['questions.answer'],
      ja['questions.spotlight'],
      ja['questions.hide'],
      ja['questions.ban'],
    ]);
    expect(await text('.health-panel .panel-title')).toBe(ja['health.title']);
    expect(await text('.reactions-panel .panel-title')).toBe(ja['reactions.title']);
    expect(await text('.console-bar .language-switch')).toBe('English');
    await screenshot(desk, 'ja-console-1280x800');
    // Nothing wider than its box: no button, label or panel clips its Japanese.
    expect(await overflow(desk)).toBeLessThanOrEqual(0);
    expect(await clipped(desk, '.console-bar *, .col-time *, .col-room .panel-head *, .drive-bar *, .deck-nav *, .actions button')).toEqual([]);

    await desk.locator('.chat-lock').click();
    await expect.poll(() => text('.chat-lock')).toBe(ja['console.chat-locked']);
    // A refusal reads wholly in the phone's language, from the reason the server sends with its English detail.
    await desk.locator('.chat-lock').click();
    await expect.poll(() => text('.chat-lock')).toBe(ja['console.chat-lock']);
    const phone = await open(JA_PHONE, '/');
    await expect.poll(() => phone.textContent('.status')).toBe(ja['connection.live']);
    await phone.click('.name-button');
    await phone.locator('.name-dialog[open]').waitFor();
    await phone.locator('.name-form input').fill('Guest-AB12');
    await phone.locator('.name-form button[type="submit"]').click();
    await expect.poll(() => phone.locator('.name-form .notice').textContent()).toBe(ja['refusal.name_guest']);
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(phone, 'ja-phone-refusal-320x568');
    await phone.setViewportSize({ width: 360, height: 640 });
    await screenshot(phone, 'ja-phone-refusal-360x640');
    await phone.click('.name-form .cancel');

    // A pause without a message: the phone and the console each say their own default, in Japanese.
    const boss = await presenter(fixture.server.url);
    sockets.push(boss.socket);
    await desk.locator('.pause-message').fill('休憩');
    await desk.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    expect(await boss.socket.emitWithAck('follow:pause', {})).toEqual({ ok: true });
    await expect.poll(() => phone.locator('.follow-paused').textContent()).toBe(ja['screen.pause-default']);
    await expect.poll(() => desk.locator('.pause-message').inputValue()).toBe(ja['screen.pause-default']);
    await screenshot(phone, 'ja-phone-paused-360x640');
    await screenshot(desk, 'ja-console-paused-1280x800');
    expect(await boss.socket.emitWithAck('follow:pause', { message: null })).toEqual({ ok: true });
    await phone.locator('.follow-paused').waitFor({ state: 'hidden' });
  });

  it('shows the projector in its browser’s language at 1280×720: widgets, the question on stage, the chat and the race', async () => {
    const projector = await open({ viewport: { width: 1280, height: 720 }, locale: 'ja-JP' }, `/present#token=${TEST_TOKEN}`);
    await expect.poll(() => language(projector)).toBe('ja');
    // The word the Japanese phone sent, counted in Japanese.
    await expect.poll(() => projector.locator('.reveal .slides section.present .words .poll-total').textContent()).toBe('会場から 1 語');
    await expect.poll(() => projector.locator('.audience-count').getAttribute('aria-label')).toMatch(/^\d+ 台のスマートフォンが接続中$/);
    await screenshot(projector, 'ja-projector-words-1280x720');

    const boss = await presenter(fixture.server.url);
    sockets.push(boss.socket);
    expect(await boss.socket.emitWithAck('question:spotlight', { id: questionId })).toMatchObject({ ok: true });
    await fixture.server.room.changeControl({ type: 'slide:set', position: SLIDES.chat });
    const banner = projector.locator('.stage-question');
    await banner.waitFor();
    expect(await banner.locator('.stage-question-label').textContent()).toBe(ja['projector.question-from-room']);
    expect(await banner.getAttribute('aria-label')).toBe(ja['projector.question-on-stage']);
    expect(await banner.locator('.stage-question-who').textContent()).toMatch(/ さんの質問$/);
    const chat = projector.locator('.reveal .slides section.present [data-widget="chat"]');
    await expect.poll(() => chat.locator('.chat-widget-hint').textContent()).toMatch(/^スマートフォンからチャット: /);
    await settled(projector);
    expect(await clipped(projector, '.stage-question *, .audience-count, .reveal .slides section.present [data-widget] *')).toEqual([]);
    await screenshot(projector, 'ja-projector-chat-question-1280x720');
    expect(await boss.socket.emitWithAck('question:spotlight', { id: null })).toMatchObject({ ok: true });
    await banner.waitFor({ state: 'hidden' });

    await fixture.server.room.changeControl({ type: 'slide:set', position: SLIDES.race });
    const race = projector.locator('.reveal .slides section.present [data-widget="race"]');
    await expect.poll(() => race.locator('.race-pane h3').allTextContents()).toEqual([ja['race.reload'], ja['race.polling'], ja['race.push']]);
    expect(await race.locator('.race-pane').first().locator('dt').allTextContents()).toEqual([
      ja['race.requests'],
      ja['race.bytes'],
      ja['race.median'],
      ja['race.worst'],
    ]);
    await settled(projector);
    expect(await clipped(projector, '.reveal .slides section.present [data-widget] *')).toEqual([]);
    await screenshot(projector, 'ja-projector-race-1280x720');
    await fixture.server.room.changeControl({ type: 'slide:set', position: SLIDES.words });
    expect(errors).toEqual([]);
  });

  it('shows the presenter’s talks and sessions page in Japanese at 1280×800, nothing cut off, and switches to English', async () => {
    const desk = await open({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' }, `/present/sessions#token=${TEST_TOKEN}`);
    await expect.poll(() => language(desk)).toBe('ja');
    const sessions = desk.locator('.sessions-list tbody tr');
    await expect.poll(() => sessions.count()).toBeGreaterThan(0);
    const live = fixture.server.room.talk.title;
    expect(await desk.textContent('.sessions-title')).toBe(ja['sessions.title']);
    expect(await desk.title()).toBe(`${live} · セッション`);
    expect(await desk.textContent('.sessions-back')).toBe(ja['sessions.back']);
    expect(await desk.locator('.talks-list thead th').allTextContents()).toEqual([
      ja['talks.col-talk'],
      ja['talks.col-author'],
      ja['talks.col-length'],
      ja['talks.col-slides'],
      ja['talks.col-sessions'],
      ja['talks.col-last'],
      ja['talks.col-state'],
      ja['talks.col-actions'],
    ]);
    expect(await desk.locator('.talks-list tr.is-live .talk-state').textContent()).toBe(ja['talks.live']);
    // Lengths, counts and dates in Japanese forms: "7 分", "2026年11月30日 …".
    expect(await desk.locator('.talks-list tr.is-live td').nth(1).textContent()).toMatch(/^\d+ 分$/);
    expect(await desk.textContent('.sessions-list .sessions-heading')).toBe(ja['sessions.of-live']);
    expect(await sessions.last().locator('th').textContent()).toMatch(/^#\d+（ライブ）$/);
    expect(await sessions.last().locator('td').first().textContent()).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{1,2}:\d{2}$/);
    expect(await sessions.last().locator('td').nth(1).textContent()).toBe(ja['sessions.open']);
    expect(await sessions.last().locator('.exports button').allTextContents()).toEqual([
      ja['sessions.report'],
      ja['sessions.download-report'],
      ja['sessions.markdown'],
      ja['sessions.json'],
    ]);
    expect(await desk.textContent('.sessions-actions .end-talk')).toBe(ja['sessions.end']);
    expect(await desk.textContent('.sessions-status')).toMatch(/^セッション \d+ 件。#\d+ を画面に表示中です。$/);
    expect(await overflow(desk)).toBeLessThanOrEqual(0);
    expect(await clipped(desk, '.sessions-bar *, .sessions-main th, .sessions-main td, .sessions-main button')).toEqual([]);
    // Column headings and session cells keep to one line: Japanese may break between any two characters.
    const wrapped = await desk.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.sessions-main thead th, .sessions-list tbody th, .sessions-list td:not(.exports)')]
        .filter((cell) => {
          // The text's own height, not the cell's (a row is as tall as its export buttons).
          const text = document.createRange();
          text.selectNodeContents(cell);
          return cell.getClientRects().length > 0 && text.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(cell).lineHeight);
        })
        .map((cell) => cell.textContent),
    );
    expect(wrapped).toEqual([]);
    await screenshot(desk, 'ja-sessions-1280x800');

    // The choice is kept on this browser: the page comes back in English.
    await desk.locator('.sessions-bar .language-switch').click();
    await expect.poll(() => language(desk)).toBe('en');
    await expect.poll(() => desk.textContent('.sessions-title')).toBe(en['sessions.title']);
    await expect.poll(() => desk.locator('.sessions-list .sessions-heading').textContent()).toBe(en['sessions.of-live']);
    expect(await desk.textContent('.sessions-bar .language-switch')).toBe('日本語');
    expect(errors).toEqual([]);
  });

  it('writes the session report in Japanese: the reactions by the names the phone gives them', async () => {
    const guest = await audience(fixture.server.url, 'phone-ja-reaction');
    sockets.push(guest.socket);
    expect(await guest.socket.emitWithAck('reaction:send', { emoji: '👍' })).toEqual({ ok: true });
    const report = await open({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' }, '/');
    await report.setExtraHTTPHeaders({ Authorization: `Bearer ${TEST_TOKEN}` });
    const url = `${fixture.server.url}/api/presenter/sessions/${fixture.server.room.sessionId}/report.html`;
    // Reactions reach the store in batches: reload until this one is counted.
    await expect
      .poll(async () => {
        await report.goto(url);
        return report.locator('.reactions li').allTextContents();
      })
      .toContainEqual(expect.stringContaining(String(ja['reaction.thumbs-up'])));
    expect(await report.locator('html').getAttribute('lang')).toBe('ja');
    expect(await report.locator('.reactions svg').first().getAttribute('aria-label')).toBe(ja['reaction.thumbs-up']);
    await report.locator('.reactions').scrollIntoViewIfNeeded();
    await screenshot(report, 'ja-report-reactions-1280x800');
  });

  // Last: it ends the session.
  it('shows the handout in Japanese once the talk has ended, inside 320 px', async () => {
    const boss = await presenter(fixture.server.url);
    sockets.push(boss.socket);
    expect(await boss.socket.emitWithAck('session:end', {})).toMatchObject({ ok: true });
    const phone = await open(JA_PHONE, '/');
    await expect.poll(() => language(phone)).toBe('ja');
    await expect.poll(() => phone.locator('#handout-questions h2').textContent()).toBe(ja['handout.questions']);
    expect(await phone.textContent('.status')).toBe(ja['handout.status']);
    expect(await phone.locator('.handout-nav a').allTextContents()).toEqual([
      ja['handout.slides'],
      ja['handout.questions'],
      ja['handout.polls'],
      ja['handout.all-talks'],
    ]);
    expect(await phone.textContent('.handout-summary')).toBe('質問 1 件、うち回答済み 0 件。あなたの質問には印が付いています。');
    expect(await phone.textContent('.handout-byline')).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    expect(await phone.getAttribute('.handout-picker', 'aria-label')).toBe(ja['handout.go-to']);
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(phone, 'ja-handout-320x568');
    await phone.locator('#handout-questions').scrollIntoViewIfNeeded();
    await screenshot(phone, 'ja-handout-questions-320x568');
    expect(errors).toEqual([]);
  });
});
