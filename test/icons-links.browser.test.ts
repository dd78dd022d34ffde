/**
 * What every surface shares: the bundled icons (drawn without any emoji font), the SVG favicon
 * (no page asks for /favicon.ico) and links in slides that open beside the talk.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PHONE, screenshot, trackErrors } from './browser.js';
import { audience, browserFixture, TEST_TOKEN } from './helpers.js';

/** A page that records every failed request and console error, so a 404 cannot pass unseen. */
async function open(browser: Browser, url: string, context: Parameters<Browser['newContext']>[0]): Promise<{ page: Page; problems: string[] }> {
  const page = await (await browser.newContext(context)).newPage();
  const problems = trackErrors(page);
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  page.on('request', (request) => {
    if (request.url().endsWith('/favicon.ico')) problems.push(`asked for ${request.url()}`);
  });
  await page.goto(url);
  await page.waitForSelector('.reveal.ready');
  return { page, problems };
}

describe('icons, favicon and links on every surface', () => {
  const fixture = browserFixture();
  const { sockets } = fixture;

  it('draws reactions, pace and the audience count as bundled SVG icons (images served by livedeck), with a favicon on every page', async () => {
    const phone = await open(fixture.browser, `${fixture.server.url}/`, PHONE);
    const projector = await open(fixture.browser, `${fixture.server.url}/present#token=${TEST_TOKEN}`, { viewport: { width: 1280, height: 720 } });
    const desk = await open(fixture.browser, `${fixture.server.url}/present/console#token=${TEST_TOKEN}`, { viewport: { width: 1280, height: 800 } });

    for (const { page } of [phone, projector, desk]) {
      expect(await page.getAttribute('link[rel="icon"]', 'href')).toBe('/favicon.svg');
      const favicon = await page.request.get(`${fixture.server.url}/favicon.svg`);
      expect(favicon.status()).toBe(200);
      expect(favicon.headers()['content-type']).toContain('image/svg+xml');
    }

    // The phone: six reaction buttons and two pace buttons, each an SVG with a name a screen reader can say.
    const reactions = phone.page.locator('.reaction');
    await expect.poll(() => reactions.count()).toBe(6);
    expect(await phone.page.locator('.reaction img.icon').count()).toBe(6);
    expect(await reactions.evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label')))).toEqual([
      'Thumbs up',
      'Applause',
      'Love it',
      'Funny',
      'Mind blown',
      'Celebrate',
    ]);
    expect(await phone.page.locator('.pace-button img.icon').count()).toBe(2);

    // A reaction from the phone floats up the projector and lands in the console's stream as icons, not text.
    await expect.poll(() => projector.page.textContent('.audience-count')).toMatch(/\b1$/);
    expect(await projector.page.locator('.audience-count img.icon').count()).toBe(1);
    expect(await desk.page.locator('.audience-count img.icon').count()).toBe(1);
    await phone.page.locator('.reaction').nth(4).click();
    await expect.poll(() => projector.page.locator('.reactions-layer img.icon').count()).toBeGreaterThan(0);
    await screenshot(projector.page, 'projector-reaction-icon');
    await expect.poll(() => desk.page.locator('.reaction-stream img[alt="Mind blown"]').count()).toBe(1);
    expect(await desk.page.textContent('.reaction-stream')).not.toContain('🤯');
    await expect.poll(() => desk.page.locator('.reaction-totals img[alt="Mind blown"]').count()).toBe(1);

    // The room's pace votes on the console carry the same turtle and rabbit as the phone's buttons.
    const voter = await audience(fixture.server.url);
    sockets.push(voter.socket);
    await voter.socket.emitWithAck('pace:vote', { dir: 'slower' });
    await expect.poll(() => desk.page.textContent('.room-pace')).toContain('1 slower');
    expect(await desk.page.locator('.room-pace img.icon').count()).toBe(2);

    for (const { problems } of [phone, projector, desk]) expect(problems).toEqual([]);
  });

  it('opens links in slides in a new tab (rel=noopener) on the phone, the projector and the console', async () => {
    const phone = await open(fixture.browser, `${fixture.server.url}/`, PHONE);
    const projector = await open(fixture.browser, `${fixture.server.url}/present#token=${TEST_TOKEN}`, { viewport: { width: 1280, height: 720 } });
    const desk = await open(fixture.browser, `${fixture.server.url}/present/console#token=${TEST_TOKEN}`, { viewport: { width: 1280, height: 800 } });
    for (const { page } of [phone, projector, desk]) {
      const links = await page.$$eval<Array<{ target: string; rel: string }>, HTMLAnchorElement>('.reveal .slides a[href^="http"]', (anchors) =>
        anchors.map((a) => ({ target: a.target, rel: a.rel })),
      );
      expect(links.length).toBeGreaterThanOrEqual(4);
      for (const link of links) expect(link).toEqual({ target: '_blank', rel: 'noopener' });
    }
    for (const { problems } of [phone, projector, desk]) expect(problems).toEqual([]);
  });
});
