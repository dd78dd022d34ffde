/**
 * Hostile room, round two, item 11 (last part): long chat messages pushed
 * the newest lines out of the projector's chat widget. The widget fills
 * from the bottom at a fixed height and clamps each message, so the newest
 * message is always on screen; a presenter's message shows its badge.
 */
import { describe, expect, it } from 'vitest';
import { screenshot, trackErrors } from './browser.js';
import { audience, browserFixture, presenter, TEST_TOKEN } from './helpers.js';

describe('the projector’s chat widget under long messages', () => {
  const fixture = browserFixture();
  const { sockets } = fixture;

  it('keeps the newest message visible, whole or clamped, and badges the presenter', async () => {
    const slides = fixture.server.room.talk.slides;
    const h = slides.findIndex((stack) => stack.some((slide) => slide.html.includes('data-widget="chat"')));
    const v = slides[h]!.findIndex((slide) => slide.html.includes('data-widget="chat"'));
    await fixture.server.room.changeControl({ type: 'slide:set', position: { h, v, f: -1 } });
    const page = await (await fixture.browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
    const errors = trackErrors(page);
    await page.goto(`${fixture.server.url}/present#token=${TEST_TOKEN}`);
    await page.waitForSelector('section.present .chat-widget-list');

    // Eight phones each send the longest message there is, then the presenter a short one.
    for (let index = 0; index < 8; index++) {
      const phone = await audience(fixture.server.url, `projector-chat-${index}`);
      sockets.push(phone.socket);
      expect(await phone.socket.emitWithAck('chat:send', { text: `${index} ${'long words '.repeat(45)}`.slice(0, 500) })).toMatchObject({ ok: true });
    }
    const boss = await presenter(fixture.server.url);
    sockets.push(boss.socket);
    expect(await boss.socket.emitWithAck('chat:send', { text: 'Newest: thanks, all!' })).toMatchObject({ ok: true });

    const newest = page.locator('section.present .chat-widget-list li').last();
    await expect.poll(() => newest.textContent()).toContain('Newest: thanks, all!');
    const [item, list, viewport] = await Promise.all([
      newest.boundingBox(),
      page.locator('section.present .chat-widget-list').boundingBox(),
      Promise.resolve(page.viewportSize()!),
    ]);
    // The newest line sits inside the list's box, and the list inside the screen.
    expect(item!.y).toBeGreaterThanOrEqual(list!.y - 1);
    expect(item!.y + item!.height).toBeLessThanOrEqual(list!.y + list!.height + 1);
    expect(list!.y + list!.height).toBeLessThanOrEqual(viewport.height);
    await expect.poll(() => newest.locator('.presenter-badge').count()).toBe(1);
    await screenshot(page, 'projector-chat-long-messages');
    expect(errors).toEqual([]);
  });
});
