/**
 * Hostile room on a real phone (Debian's Chromium): hostile names and text
 * are shown literally, the presenter's drop shows as a discreet status, and
 * a server restart as "reconnecting…".
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE, screenshot, trackErrors } from '../browser.js';
import { audience, browserFixture, presenter } from '../helpers.js';

const XSS = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', '"><svg onload=alert(3)>', '<a href="javascript:alert(4)">tap</a>'];

describe('hostile room on a phone', () => {
  const fixture = browserFixture();
  const { sockets } = fixture;

  async function openPhone(): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
    const page = await (await fixture.browser.newContext(PHONE)).newPage();
    const errors = trackErrors(page);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${fixture.server.url}/`);
    await page.waitForSelector('.reveal.ready');
    await page.waitForFunction(() => document.querySelector('.status')?.textContent === 'live');
    return { page, errors, dialogs };
  }

  it.each(XSS)('shows the name and message %s as text, never as markup', async (payload) => {
    const { page, errors, dialogs } = await openPhone();
    // Names are at most 32 characters: the payload is cut to fit, still hostile.
    const name = payload.slice(0, 32);
    const attacker = await audience(fixture.server.url, `xss-${XSS.indexOf(payload)}-attacker`, name);
    sockets.push(attacker.socket);
    expect(await attacker.socket.emitWithAck('chat:send', { text: payload })).toMatchObject({ ok: true });
    await expect.poll(() => page.textContent('.chat-list')).toContain(payload);
    expect(await page.textContent('.chat-list li:last-child .who')).toBe(name);
    expect(await page.$$('.chat-list img, .chat-list script, .chat-list svg, .chat-list a, .topbar img')).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows "presenter reconnecting" while the presenter is away, and clears it when it is back', async () => {
    const boss = await presenter(fixture.server.url);
    const { page, errors } = await openPhone();
    const badge = page.locator('.presenter-status');
    expect(await badge.isHidden()).toBe(true);

    boss.socket.close();
    await badge.waitFor({ state: 'visible' });
    expect(await badge.textContent()).toBe('presenter reconnecting…');
    // The phone itself is still live and on the same slide.
    expect(await page.textContent('.status')).toBe('live');
    await screenshot(page, 'phone-presenter-reconnecting');

    const back = await presenter(fixture.server.url);
    sockets.push(back.socket);
    await badge.waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('says "reconnecting…" when the server announces a restart', async () => {
    const { page } = await openPhone();
    await fixture.server.close();
    await page.waitForFunction(() => document.querySelector('.status')?.textContent === 'reconnecting…');
    expect(await page.evaluate(() => document.body.classList.contains('is-offline'))).toBe(true);
    await page.context().close();
  });
});
