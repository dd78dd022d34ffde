import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RACE_NAMESPACE } from '../src/shared/race.js';
import { PHONE, screenshot, trackErrors } from './browser.js';
import { browserFixture, TEST_TOKEN } from './helpers.js';

/** slides/nodejs-websockets.md: the race is the tenth horizontal slide. */
const RACE_SLIDE = { h: 9, v: 0, f: -1 };
const PANES = ['reload', 'polling', 'push'] as const;

describe('the race slide in a real browser', () => {
  const fixture = browserFixture();
  const contexts: BrowserContext[] = [];
  // Each test opens its own pages; a projector left open would keep syncing the deck into the next test.
  const page = async (options: Parameters<Browser['newContext']>[0]) => {
    const context = await fixture.browser.newContext(options);
    contexts.push(context);
    return context.newPage();
  };

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  const stat = (page: Page, pane: string, name: string) => page.locator(`[data-widget="race"] [data-pane="${pane}"] [data-stat="${name}"]`).textContent();
  const count = async (page: Page, pane: string, name: string) => Number((await stat(page, pane, name))?.replace(/,/g, ''));

  it('carries five pings from a phone through reload, polling and push, and counts what each spent', async () => {
    // The talk is already on the race when the projector opens: it lands there from its snapshot.
    await fixture.server.room.changeControl({ type: 'slide:set', position: RACE_SLIDE });
    const projector = await page({ viewport: { width: 1280, height: 800 } });
    const phone = await page(PHONE);
    const errors = [...trackErrors(projector), ...trackErrors(phone)];

    await projector.goto(`${fixture.server.url}/present#token=${TEST_TOKEN}`);
    await projector.waitForSelector('[data-widget="race"][data-state="running"]');
    await phone.goto(`${fixture.server.url}/`);
    const ping = phone.locator('.live-card .race-ping');
    await ping.waitFor();

    for (let sent = 1; sent <= 5; sent++) {
      await ping.click();
      await expect.poll(() => phone.locator('.race-ping-note').textContent()).toContain(`(${sent} from you)`);
    }

    // Reload shows them at its next refetch (every 3 s): the longest wait of the three.
    for (const pane of PANES) await expect.poll(() => stat(projector, pane, 'messages'), { timeout: 10_000 }).toBe('5');
    expect(await count(projector, 'push', 'requests')).toBe(1);
    expect(await count(projector, 'polling', 'requests')).toBeGreaterThanOrEqual(20);
    expect(await count(projector, 'reload', 'requests')).toBeGreaterThanOrEqual(2);
    for (const pane of PANES) {
      expect(await stat(projector, pane, 'bytes')).toMatch(/^\d+(\.\d)? (B|kB|MB)$/);
      expect(await stat(projector, pane, 'median')).toMatch(/\d (ms|s)$/);
    }
    await screenshot(projector, 'race-slide');
    await screenshot(phone, 'race-phone');

    // Off the race slide, every client stops: the push connection closes and the phone's button goes.
    expect(fixture.server.io.of(RACE_NAMESPACE).sockets.size).toBe(1);
    await projector.keyboard.press('ArrowRight');
    await projector.waitForSelector('[data-widget="race"][data-state="stopped"]');
    await expect.poll(() => fixture.server.io.of(RACE_NAMESPACE).sockets.size).toBe(0);
    await expect.poll(() => phone.locator('.live-card').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('lets the presenter ping with P on the race slide, and P still goes back elsewhere', async () => {
    await fixture.server.room.changeControl({ type: 'slide:set', position: RACE_SLIDE });
    const projector = await page({ viewport: { width: 1280, height: 800 } });
    await projector.goto(`${fixture.server.url}/present#token=${TEST_TOKEN}`);
    await projector.waitForSelector('[data-widget="race"][data-state="running"]');
    await projector.keyboard.press('p');
    await expect.poll(() => stat(projector, 'push', 'messages')).toBe('1');
    await expect.poll(() => projector.locator('.race-status').textContent()).toBe('Presenter ping sent (1)');

    await projector.keyboard.press('ArrowRight');
    await expect.poll(() => fixture.server.room.control.slide.h).toBe(RACE_SLIDE.h + 1);
    await projector.keyboard.press('p');
    await expect.poll(() => fixture.server.room.control.slide.h).toBe(RACE_SLIDE.h);
  });
});
