/**
 * The phone page at five real phone sizes, in every state a person meets during the talk: no
 * control over the slide's text, nothing clipped in the top bar or a card, cards without hidden
 * scrolling and three chat lines beside them, code at 12 px or more. Screenshots of each state in
 * test-results/phone-<state>-<width>x<height>.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { currentHeading, PHONE, screenshot, trackErrors } from './browser.js';
import { audience, browserFixture, presenter, type TestClient } from './helpers.js';
import { axeViolations } from './axe.js';
import { layoutProblems, type LayoutOptions } from './phone-layout.js';

const AXE_STATES = new Set(['following', 'behind', 'poll', 'presenter-reconnecting']);

export const PHONE_SIZES = [
  { width: 320, height: 568 },
  { width: 360, height: 640 },
  { width: 390, height: 844 },
  { width: 412, height: 915 },
  { width: 844, height: 390 },
] as const;

/** Positions in slides/nodejs-websockets.md. */
const SLIDES = {
  title: { h: 0, v: 0, f: -1 },
  join: { h: 1, v: 0, f: -1 },
  quote: { h: 2, v: 0, f: 4 },
  poll: { h: 3, v: 0, f: -1 },
  race: { h: 9, v: 0, f: -1 },
  code: { h: 10, v: 0, f: 2 },
  clientCode: { h: 10, v: 1, f: 3 },
  prosCons: { h: 12, v: 0, f: 3 },
  links: { h: 13, v: 0, f: -1 },
};

describe('the phone page at every size', () => {
  const fixture = browserFixture();
  const { sockets } = fixture;
  let boss: TestClient;
  let questionId = 0;

  beforeAll(async () => {
    boss = (await presenter(fixture.server.url)).socket;
    // Four chat lines and a question, so "three lines in sight" can be measured.
    const talker = await audience(fixture.server.url, 'layout-talker-01', 'Grace');
    sockets.push(talker.socket);
    for (const text of ['Hello from the back row', 'Can you zoom the code?', 'The poll is fun', 'WebSockets rock']) {
      await talker.socket.emitWithAck('chat:send', { text });
    }
    const asked = await talker.socket.emitWithAck('question:ask', { text: 'How does the phone keep up when the Wi-Fi drops for a minute?' });
    if (!asked.ok) throw new Error('could not ask');
    questionId = asked.question.id;
  });
  afterAll(async () => {
    boss?.close();
  });

  async function go(page: Page, slide: { h: number; v: number; f: number }): Promise<void> {
    await boss.emitWithAck('slide:set', slide);
    await expect.poll(() => page.evaluate(() => document.querySelector('.phone-deck section.present')?.textContent ?? '')).not.toBe('');
    await expect
      .poll(() => page.evaluate(() => [...document.querySelectorAll('.phone-deck .fragment.current-fragment, .phone-deck .slides > section.present')].length))
      .toBeGreaterThan(0);
  }

  async function check(page: Page, state: string, size: { width: number; height: number }, options: LayoutOptions = {}): Promise<void> {
    await screenshot(page, `phone-${state}-${size.width}x${size.height}`);
    expect(await layoutProblems(page, options), `${state} at ${size.width}×${size.height}`).toEqual([]);
    // Every state at every size is also one that axe-core finds nothing in (target sizes, contrast, names).
    if (AXE_STATES.has(state)) expect(await axeViolations(page), `${state} at ${size.width}×${size.height}`).toEqual([]);
  }

  for (const size of PHONE_SIZES) {
    it(`keeps the slide readable and uncovered at ${size.width}×${size.height}`, async () => {
      if (!boss.connected) boss = (await presenter(fixture.server.url)).socket;
      await boss.emitWithAck('question:spotlight', { id: null });
      await boss.emitWithAck('slide:set', SLIDES.title);
      const page = await (await fixture.browser.newContext({ ...PHONE, viewport: size })).newPage();
      const errors = trackErrors(page);
      await page.goto(`${fixture.server.url}/`);
      await page.waitForSelector('.reveal.ready');
      await page.waitForFunction(() => document.querySelector('.status')?.textContent === 'live');
      await check(page, 'following', size);

      for (const state of ['join', 'quote', 'prosCons', 'links'] as const) {
        await go(page, SLIDES[state]);
        await expect
          .poll(() => page.evaluate((f) => document.querySelectorAll('.phone-deck section.present .fragment.visible').length >= f + 1, SLIDES[state].f))
          .toBe(true);
        // Scrolled to its end, the slide's last line is still free of controls.
        await page.evaluate(() => document.querySelector('.phone-deck')!.scrollTo(0, 1e6));
        await check(page, state, size);
      }

      for (const state of ['code', 'clientCode'] as const) {
        await go(page, SLIDES[state]);
        await expect.poll(() => page.locator('.phone-deck section.present .code-line.highlight').count()).toBeGreaterThan(0);
        await check(page, state, size, { code: true });
      }

      // Looking back: "Back to live" appears, outside the slide's text.
      await go(page, SLIDES.title);
      await go(page, SLIDES.quote);
      await page.click('.btn-back');
      await expect.poll(() => page.isVisible('.btn-live')).toBe(true);
      await check(page, 'behind', size);
      // Stepped back over the quote's text (a fragment): its bar goes with it, not left alone on the slide.
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('.phone-deck section.present blockquote')!).visibility)).toBe('hidden');
      await page.click('.btn-live');
      await expect.poll(() => page.isVisible('.btn-live')).toBe(false);

      // Cards: the poll, the race's ping button, a spotlighted question.
      await go(page, SLIDES.poll);
      await page.locator('.live-card .poll-choice').first().waitFor();
      await check(page, 'poll', size, { card: true });
      await go(page, SLIDES.race);
      await page.locator('.live-card .race-ping').waitFor();
      await check(page, 'ping', size, { card: true });
      await go(page, SLIDES.title);
      await boss.emitWithAck('question:spotlight', { id: questionId });
      await page.locator('.spotlight').waitFor();
      await check(page, 'spotlight', size, { card: true });
      await boss.emitWithAck('question:spotlight', { id: null });

      // The presenter's pause, then the presenter gone for a while.
      await boss.emitWithAck('follow:pause', { message: 'Back in a moment' });
      await page.locator('.follow-paused').waitFor();
      await check(page, 'paused', size, { paused: true });
      await boss.emitWithAck('follow:pause', { message: null });
      await page.locator('.follow-paused').waitFor({ state: 'hidden' });
      boss.close();
      await page.locator('.presenter-status').waitFor();
      await check(page, 'presenter-reconnecting', size);
      boss = (await presenter(fixture.server.url)).socket;
      await page.locator('.presenter-status').waitFor({ state: 'hidden' });

      expect(errors).toEqual([]);
      await page.context().close();
      // A dozen states, each with its own screenshot and measurements: more than the default 30 s on a busy machine.
    }, 120_000);
  }

  it('makes slide text larger or smaller, remembers it, and never takes code below 12 px', async () => {
    if (!boss.connected) boss = (await presenter(fixture.server.url)).socket;
    await boss.emitWithAck('slide:set', SLIDES.code);
    const context = await fixture.browser.newContext({ ...PHONE, viewport: { width: 320, height: 568 } });
    const page = await context.newPage();
    await page.goto(`${fixture.server.url}/`);
    await page.waitForSelector('.reveal.ready');
    const headingSize = () => page.evaluate(() => Number.parseFloat(getComputedStyle(document.querySelector('.phone-deck section.present h2')!).fontSize));
    const before = await headingSize();
    await page.click('.btn-text-larger');
    await page.click('.btn-text-larger');
    expect(await headingSize()).toBeGreaterThan(before * 1.2);
    await page.reload();
    await page.waitForSelector('.reveal.ready');
    expect(await headingSize()).toBeGreaterThan(before * 1.2);
    // Down to the smallest size, where the button says it can go no further.
    for (let step = 0; step < 10 && (await page.getAttribute('.btn-text-smaller', 'aria-disabled')) !== 'true'; step++) await page.click('.btn-text-smaller');
    expect(await page.getAttribute('.btn-text-smaller', 'aria-disabled')).toBe('true');
    expect(await headingSize()).toBeLessThan(before);
    expect(await layoutProblems(page, { code: true })).toEqual([]);
    await screenshot(page, 'phone-text-smallest-320x568');
    await context.close();
  });

  it('opens the slide full screen with one tap or the button, in portrait and landscape', async () => {
    if (!boss.connected) boss = (await presenter(fixture.server.url)).socket;
    await boss.emitWithAck('slide:set', SLIDES.title);
    for (const viewport of [
      { width: 360, height: 640 },
      { width: 640, height: 360 },
    ]) {
      const context = await fixture.browser.newContext({ ...PHONE, viewport });
      const page = await context.newPage();
      await page.goto(`${fixture.server.url}/`);
      await page.waitForSelector('.reveal.ready');
      const frame = () => page.locator('.deck-frame').boundingBox();

      await page.tap('.phone-deck h1');
      await expect.poll(async () => (await frame())?.height).toBe(viewport.height);
      expect((await frame())?.width).toBe(viewport.width);
      expect(await page.textContent('.btn-full')).toContain('Close full screen');
      expect(await layoutProblems(page)).toEqual([]);
      await screenshot(page, `phone-fullscreen-${viewport.width}x${viewport.height}`);
      await page.click('.btn-full');
      await expect.poll(async () => (await frame())?.height).toBeLessThan(viewport.height);

      await page.click('.btn-full');
      await expect.poll(async () => (await frame())?.height).toBe(viewport.height);
      await page.keyboard.press('Escape');
      await expect.poll(async () => (await frame())?.height).toBeLessThan(viewport.height);
      expect(await currentHeading(page)).toBe('NodeJS, WebSockets and the real-time web');
      await context.close();
    }
  });
});
