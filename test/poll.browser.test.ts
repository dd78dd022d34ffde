import { describe, expect, it } from 'vitest';
import { PHONE, screenshot, trackErrors, transitionsSettled } from './browser.js';
import { browserFixture, TEST_TOKEN } from './helpers.js';

/** slides/nodejs-websockets.md: "Quick poll" is the fourth horizontal slide. */
const POLL_SLIDE = { h: 3, v: 0, f: -1 };

describe('a live poll in a real browser', () => {
  const fixture = browserFixture();

  it('shows two phones’ votes as bars on the projector, and the presenter resets them from the console', async () => {
    await fixture.server.room.changeControl({ type: 'slide:set', position: POLL_SLIDE });
    const projector = await (await fixture.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const phones = await Promise.all([fixture.browser.newContext(PHONE), fixture.browser.newContext(PHONE)].map(async (context) => (await context).newPage()));
    const errors = [projector, ...phones].flatMap((page) => trackErrors(page));

    await projector.goto(`${fixture.server.url}/present#token=${TEST_TOKEN}`);
    const chart = projector.locator('.reveal [data-widget="poll"] .poll');
    await chart.waitFor();
    for (const phone of phones) await phone.goto(`${fixture.server.url}/`);

    // One phone votes in its panel card, the other by tapping the option on the slide itself.
    await phones[0]!.locator('.live-card .poll-choice[data-option="0"]').click();
    await phones[1]!.locator('.reveal [data-widget="poll"] .poll-choice[data-option="1"]').click();

    await expect.poll(() => chart.getAttribute('data-total')).toBe('2');
    expect(await chart.locator('.poll-total').textContent()).toBe('2 votes');
    expect(await chart.locator('.poll-count').allTextContents()).toEqual(['1 · 50%', '1 · 50%', '0 · 0%']);
    await expect.poll(() => phones[0]!.locator('.live-card .poll-option.is-mine .poll-choice').getAttribute('data-option')).toBe('0');
    await expect.poll(() => phones[0]!.locator('.live-card .poll').getAttribute('data-total')).toBe('2');
    await transitionsSettled(projector);
    await screenshot(projector, 'poll-projector');
    await screenshot(phones[0]!, 'poll-phone');

    // The room sees results, never buttons: the controls live in the console, beside the live bars.
    expect(await phones[0]!.locator('.poll-control').count()).toBe(0);
    expect(await projector.locator('.poll-control').count()).toBe(0);
    const desk = await (await fixture.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    errors.push(...trackErrors(desk));
    await desk.goto(`${fixture.server.url}/present/console#token=${TEST_TOKEN}`);
    const panel = desk.locator('.poll-panel');
    await expect.poll(() => panel.isVisible()).toBe(true);
    await expect.poll(() => panel.locator('.poll').getAttribute('data-total')).toBe('2');
    await screenshot(desk, 'poll-console');
    await panel.locator('.poll-control[data-action="reset"]').click();
    await expect.poll(() => chart.getAttribute('data-total')).toBe('0');
    await expect.poll(() => panel.locator('.poll').getAttribute('data-total')).toBe('0');
    await expect.poll(() => phones[1]!.locator('.live-card .poll').getAttribute('data-total')).toBe('0');
    expect(await phones[1]!.locator('.live-card .poll-option.is-mine').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
