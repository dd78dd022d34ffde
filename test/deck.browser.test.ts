import { describe, expect, it } from 'vitest';
import { countDeckMoves, currentHeading, deckSpot, PHONE, screenshot, swipe, trackErrors, transitionsSettled } from './browser.js';
import { browserFixture, TEST_TOKEN } from './helpers.js';

describe('presenter and phone in a real browser', () => {
  const fixture = browserFixture();

  it('moves the phone when the presenter presses the right arrow', async () => {
    const presenterPage = await (await fixture.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const phonePage = await (await fixture.browser.newContext(PHONE)).newPage();
    const errors = [...trackErrors(presenterPage), ...trackErrors(phonePage)];

    await phonePage.goto(`${fixture.server.url}/`);
    await phonePage.waitForSelector('.reveal.ready');
    await presenterPage.goto(`${fixture.server.url}/present#token=${TEST_TOKEN}`);
    await presenterPage.waitForSelector('.reveal.ready');
    // The token leaves the address bar as soon as the page has read it.
    expect(presenterPage.url()).not.toContain(TEST_TOKEN);
    await expect.poll(() => fixture.server.room.audienceCount).toBe(1);
    const firstTitle = await currentHeading(phonePage);

    await presenterPage.keyboard.press('ArrowRight');
    await expect.poll(() => fixture.server.room.control.slide.h).toBe(1);
    await expect.poll(() => currentHeading(phonePage)).toBe(await currentHeading(presenterPage));
    expect(await currentHeading(phonePage)).not.toBe(firstTitle);

    await presenterPage.keyboard.press('ArrowRight');
    await expect.poll(() => currentHeading(phonePage)).toBe(await currentHeading(presenterPage));
    // lancers|conf: its quote is the last fragment, so before it the quote's box is not on the screen either.
    expect(await presenterPage.evaluate(() => getComputedStyle(document.querySelector('.reveal section.present blockquote')!).visibility)).toBe('hidden');

    await transitionsSettled(presenterPage);
    await screenshot(presenterPage, 'presenter-deck');
    await screenshot(phonePage, 'phone-following');
    expect(errors).toEqual([]);
  });

  it('lets a phone look back, then return to live, and never run ahead', async () => {
    // Live somewhere past the first slide, so there is something to look back at, whatever ran before.
    await fixture.server.room.changeControl({ type: 'slide:set', position: { h: 2, v: 0, f: -1 } });
    const phonePage = await (await fixture.browser.newContext(PHONE)).newPage();
    await phonePage.goto(`${fixture.server.url}/`);
    await phonePage.waitForSelector('.reveal.ready');
    // The deck is ready before the room's snapshot says where the talk is: Back means something only once it has.
    const liveSlide = () =>
      phonePage.evaluate(() => [...document.querySelectorAll('.reveal .slides > section')].findIndex((section) => section.classList.contains('present')));
    await expect.poll(liveSlide).toBe(2);
    const live = await currentHeading(phonePage);

    await phonePage.click('.btn-back');
    await expect.poll(() => phonePage.isVisible('.btn-live')).toBe(true);
    expect(await currentHeading(phonePage)).not.toBe(live);
    await screenshot(phonePage, 'phone-behind');

    await phonePage.click('.btn-live');
    await expect.poll(() => currentHeading(phonePage)).toBe(live);
    expect(await phonePage.isVisible('.btn-live')).toBe(false);

    // A swipe back is allowed; a swipe ahead of the presenter snaps back to live.
    await swipe(phonePage, 'right');
    await expect.poll(() => phonePage.isVisible('.btn-live')).toBe(true);
    await phonePage.click('.btn-live');
    await expect.poll(() => phonePage.isVisible('.btn-live')).toBe(false);
    const liveSpot = await deckSpot(phonePage);
    const deckMoves = await countDeckMoves(phonePage);
    await swipe(phonePage, 'left');
    // The swipe moved the deck (ahead, then back within the same gesture): where it stands now is final.
    await expect.poll(deckMoves).toBeGreaterThan(0);
    expect(await deckSpot(phonePage)).toEqual(liveSpot);
    expect(await phonePage.isVisible('.btn-live')).toBe(false);
  });

  it('serves the audience page without the token or presenter code', async () => {
    const html = await (await fetch(`${fixture.server.url}/`)).text();
    const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const asset of scripts) {
      const body = await (await fetch(`${fixture.server.url}${asset}`)).text();
      expect(body).not.toContain(TEST_TOKEN);
      expect(body).not.toContain('presenter/notes');
      expect(body).not.toContain('livedeck.presenterToken');
    }
    const talk = await (await fetch(`${fixture.server.url}/api/talk`)).text();
    expect(talk).not.toContain(TEST_TOKEN);
    expect(talk).not.toMatch(/Note:|Pace:/);
  });
});
