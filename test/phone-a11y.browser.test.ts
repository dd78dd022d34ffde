/**
 * The phone page for everyone: axe-core finds nothing in any state a person meets (following,
 * looking back, chat and Q&A with content, the name dialog, a poll, the ping card, paused, a
 * spotlighted question, the presenter reconnecting, the phone reconnecting; a scale, a word cloud and
 * open text, answered and not); tabs follow the
 * WAI-ARIA pattern; a slide change is announced once with its title; an answer to one's question
 * is announced; reduced motion stops animations; text follows the phone's text size.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../demo-server/options.js';
import { axeViolations } from './axe.js';
import { PHONE, screenshot, trackErrors } from './browser.js';
import { audience, browserFixture, presenter, startServer, type TestClient } from './helpers.js';

/** slides/widgets-tour.md: the scale, the word cloud and open text, each on its own slide. */
const TOUR_SLIDES = { scale: { h: 4, v: 0, f: -1 }, words: { h: 5, v: 0, f: -1 }, text: { h: 6, v: 0, f: -1 } };

describe('the phone page with a screen reader, a keyboard and axe-core', () => {
  const fixture = browserFixture();
  const { sockets } = fixture;
  let boss: TestClient;

  beforeAll(async () => {
    boss = (await presenter(fixture.server.url)).socket;
    const talker = await audience(fixture.server.url, 'a11y-talker-0001', 'Grace');
    sockets.push(talker.socket);
    for (const text of ['Hello from the back row', 'Can you zoom the code?', 'WebSockets rock']) await talker.socket.emitWithAck('chat:send', { text });
    await talker.socket.emitWithAck('question:ask', { text: 'Is Socket.IO a WebSocket?' });
  });
  afterAll(async () => {
    boss?.close();
  });

  async function openPhone(options: { reducedMotion?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
    const context = await fixture.browser.newContext({ ...PHONE, ...(options.reducedMotion ? { reducedMotion: 'reduce' as const } : {}) });
    const page = await context.newPage();
    const errors = trackErrors(page);
    await page.goto(`${fixture.server.url}/`);
    await page.waitForSelector('.reveal.ready');
    await page.waitForFunction(() => document.querySelector('.status')?.textContent === 'live');
    return { page, errors };
  }

  async function expectClean(page: Page, state: string): Promise<void> {
    await screenshot(page, `phone-a11y-${state}`);
    expect(await axeViolations(page), state).toEqual([]);
  }

  it('has no axe-core violations in any state of the talk', async () => {
    await boss.emitWithAck('slide:set', { h: 2, v: 0, f: 1 });
    const { page, errors } = await openPhone();
    await expectClean(page, 'following');

    await page.click('.btn-back');
    await expect.poll(() => page.isVisible('.btn-live')).toBe(true);
    await expectClean(page, 'behind');
    await page.click('.btn-live');

    await expect.poll(() => page.locator('.chat-list li:not(.empty)').count()).toBe(3);
    await expectClean(page, 'chat');
    await page.click('#tab-questions');
    await expect.poll(() => page.locator('.question-list li:not(.empty)').count()).toBe(1);
    await expectClean(page, 'questions');
    await page.click('#tab-chat');

    await page.click('.name-button');
    await page.locator('.name-dialog[open]').waitFor();
    await expectClean(page, 'name-dialog');
    await page.click('.name-form .cancel');

    await boss.emitWithAck('slide:set', { h: 3, v: 0, f: -1 });
    await page.locator('.live-card .poll-choice').first().waitFor();
    await page.locator('.live-card .poll-choice').first().click();
    await expect.poll(() => page.getAttribute('.live-card .poll-choice >> nth=0', 'aria-pressed')).toBe('true');
    await expectClean(page, 'poll');

    await boss.emitWithAck('slide:set', { h: 5, v: 0, f: -1 });
    const word = page.locator('.live-card .entry-form');
    await word.locator('input').fill('速い');
    await word.locator('button').click();
    await expect.poll(() => page.locator('.phone-deck section.present .cloud-word').count()).toBe(1);
    await expectClean(page, 'words');

    await boss.emitWithAck('slide:set', { h: 9, v: 0, f: -1 });
    await page.locator('.live-card .race-ping').waitFor();
    await expectClean(page, 'ping');

    await boss.emitWithAck('slide:set', { h: 10, v: 0, f: 1 });
    await expect.poll(() => page.locator('.phone-deck section.present .code-line.highlight').count()).toBeGreaterThan(0);
    await expectClean(page, 'code');

    await boss.emitWithAck('follow:pause', { message: 'Back in a moment' });
    await page.locator('.follow-paused').waitFor();
    await expectClean(page, 'paused');
    await boss.emitWithAck('follow:pause', { message: null });

    const asked = await boss.emitWithAck('question:ask', { text: 'What about Server-Sent Events?' });
    if (!asked.ok) throw new Error('could not ask');
    await boss.emitWithAck('question:spotlight', { id: asked.question.id });
    await page.locator('.spotlight').waitFor();
    await expectClean(page, 'spotlight');
    await boss.emitWithAck('question:spotlight', { id: null });

    await page.click('.btn-full');
    await expectClean(page, 'fullscreen');
    await page.click('.btn-full');

    boss.close();
    await page.locator('.presenter-status').waitFor();
    await expectClean(page, 'presenter-reconnecting');
    boss = (await presenter(fixture.server.url)).socket;

    // The phone's own connection gone: the status says so, and the page still passes.
    await page.context().setOffline(true);
    for (const socket of fixture.server.io.sockets.sockets.values()) if (socket.data.role === 'audience') socket.conn.close();
    await expect.poll(() => page.textContent('.status')).toBe('reconnecting…');
    await expectClean(page, 'reconnecting');
    await page.context().setOffline(false);
    await expect.poll(() => page.textContent('.status')).toBe('live');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('has no axe-core violations on a scale, a word cloud and open text, before and after answering', async () => {
    const tour = await startServer({ talkFile: path.join(PROJECT_ROOT, 'slides', 'widgets-tour.md') });
    try {
      await tour.room.changeControl({ type: 'slide:set', position: TOUR_SLIDES.scale });
      const context = await fixture.browser.newContext(PHONE);
      const page = await context.newPage();
      const errors = trackErrors(page);
      await page.goto(`${tour.url}/`);
      await page.waitForSelector('.reveal.ready');
      await page.locator('.live-card .scale-choice').first().waitFor();
      await expectClean(page, 'scale');
      // A rating shows a count beside each value, in the slide's own columns: names still start with what is shown.
      await page.locator('.live-card .scale-choice').nth(3).click();
      await expect.poll(() => page.locator('.phone-deck section.present .scale').getAttribute('data-total')).toBe('1');
      await expectClean(page, 'scale-rated');

      await tour.room.changeControl({ type: 'slide:set', position: TOUR_SLIDES.words });
      const word = page.locator('.live-card .entry-form');
      await word.locator('input').fill('async');
      await word.locator('button').click();
      await expect.poll(() => page.locator('.phone-deck section.present .cloud-word').count()).toBe(1);
      await expectClean(page, 'tour-words');

      await tour.room.changeControl({ type: 'slide:set', position: TOUR_SLIDES.text });
      const answers = page.locator('.live-card .answers');
      await answers.locator('textarea').waitFor();
      await expectClean(page, 'text');
      await answers.locator('textarea').fill('How WebRTC works');
      await answers.locator('textarea').press('Enter');
      await expect.poll(() => answers.locator('.answer-mine li').count()).toBe(1);
      await expectClean(page, 'text-answered');
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await tour.close();
    }
  }, 120_000);

  it('follows the tabs pattern: arrows move and show, Home and End jump, one tab stop', async () => {
    const { page } = await openPhone();
    await page.focus('#tab-chat');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-questions');
    expect(await page.getAttribute('#tab-questions', 'aria-selected')).toBe('true');
    expect(await page.isVisible('#view-questions')).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-chat');
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-questions');
    await page.keyboard.press('Home');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-chat');
    expect(await page.getAttribute('#tab-questions', 'tabindex')).toBe('-1');
    // The name button's accessible name starts with what it shows.
    const name = await page.evaluate(() => {
      const button = document.querySelector('.name-button')!;
      return { shown: (button.querySelector('.name-text')?.textContent ?? '').trim(), label: button.textContent?.trim() ?? '' };
    });
    expect(name.shown).toMatch(/^You: /);
    expect(name.label.startsWith(name.shown)).toBe(true);
    await page.context().close();
  });

  it('announces each slide once, politely, with its title (not every fragment), and the answer to my question', async () => {
    await boss.emitWithAck('slide:set', { h: 0, v: 0, f: -1 });
    const { page } = await openPhone();
    const announcer = page.locator('.slide-announcer');
    expect(await announcer.getAttribute('aria-live')).toBe('polite');
    const heard: string[] = [];
    await page.exposeFunction('heard', (text: string) => heard.push(text));
    await page.evaluate(() => {
      const node = document.querySelector('.slide-announcer')!;
      new MutationObserver(() => (window as unknown as { heard: (text: string) => void }).heard(node.textContent ?? '')).observe(node, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await boss.emitWithAck('slide:set', { h: 4, v: 0, f: -1 });
    await expect.poll(() => heard).toEqual(['Slide 5 of 19: What is Node.js?']);
    for (let f = 0; f < 4; f++) await boss.emitWithAck('slide:set', { h: 4, v: 0, f });
    await expect.poll(() => page.locator('.phone-deck section.present .fragment.visible').count()).toBe(4);
    await boss.emitWithAck('slide:set', { h: 5, v: 0, f: -1 });
    await expect.poll(() => heard).toEqual(['Slide 5 of 19: What is Node.js?', 'Slide 6 of 19: In one word']);

    // A question I voted for is answered: I hear it, once.
    const asker = await audience(fixture.server.url, 'a11y-asker-00001', 'Ada');
    sockets.push(asker.socket);
    const asked = await asker.socket.emitWithAck('question:ask', { text: 'Does it work on the metro?' });
    if (!asked.ok) throw new Error('could not ask');
    await page.click('#tab-questions');
    await page.locator('.question-list li', { hasText: 'Does it work on the metro?' }).locator('.vote').click();
    await expect.poll(() => page.getAttribute('.question-list li:has-text("Does it work on the metro?") .vote', 'aria-pressed')).toBe('true');
    await boss.emitWithAck('question:answer', { id: asked.question.id, answered: true });
    await expect.poll(() => page.textContent('.room-announcer')).toBe('Answered: your question “Does it work on the metro?”');
    await page.context().close();
  });

  it('stops animations for reduced motion and follows the phone’s text size', async () => {
    await boss.emitWithAck('slide:set', { h: 3, v: 0, f: -1 });
    const { page } = await openPhone({ reducedMotion: true });
    await page.locator('.live-card .poll-fill').first().waitFor({ state: 'attached' });
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.live-card .poll-fill')!).transitionDuration)).toBe('0s');
    const sizes = () =>
      page.evaluate(() =>
        ['.phone-deck section.present h2', '.chat-list li', '.tab', '.compose input'].map((selector) =>
          Number.parseFloat(getComputedStyle(document.querySelector(selector)!).fontSize),
        ),
      );
    const before = await sizes();
    // What a phone's "larger text" setting does to a page: the default font size grows.
    await page.evaluate(() => (document.documentElement.style.fontSize = '125%'));
    const after = await sizes();
    after.forEach((size, index) => expect(size / before[index]!).toBeCloseTo(1.25, 1));
    await page.context().close();
  });
});
