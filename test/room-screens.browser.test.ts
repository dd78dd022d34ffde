/**
 * What the room sees is for the room (issue 13, items 2 and 8): the
 * projector carries no admin control, sessions and exports live on a
 * presenter page reached from the console, every page has a title and an
 * icon, and the console's empty and error states say what to do.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PHONE, screenshot, trackErrors } from './browser.js';
import { audience, browserFixture, TEST_TOKEN } from './helpers.js';

describe('the room’s screens and the presenter’s', () => {
  const fixture = browserFixture();
  const { sockets } = fixture;

  async function open(path: string, viewport = { width: 1280, height: 720 }): Promise<Page> {
    const page = await (await fixture.browser.newContext({ viewport })).newPage();
    await page.goto(`${fixture.server.url}${path}`);
    return page;
  }

  it('shows the room no admin control on the projector, not even with S', async () => {
    const projector = await open(`/present#token=${TEST_TOKEN}`);
    await projector.waitForSelector('.reveal.ready');
    await expect.poll(() => projector.locator('.audience-count').textContent()).toMatch(/\d/);
    await projector.keyboard.press('s');
    await projector.keyboard.press('S');
    // The deck's own arrows are the only buttons on screen; no sessions, exports or poll controls anywhere on the page.
    const buttons = await projector.locator('button:visible:not(.reveal .controls button)').count();
    expect(buttons).toBe(0);
    const text = (await projector.locator('body').innerText()).toLowerCase();
    for (const word of ['session', 'export', 'markdown', 'reset', 'close voting']) expect(text).not.toContain(word);
  });

  it('lists sessions with exports on a page of its own, reached from the console, and starts a fresh one', async () => {
    const phone = await audience(fixture.server.url, 'room-screens-phone', 'Dana');
    sockets.push(phone.socket);
    await phone.socket.emitWithAck('question:ask', { text: 'Which session is this?' });
    const before = fixture.server.room.sessionId;

    const desk = await open(`/present/console#token=${TEST_TOKEN}`, { width: 1280, height: 800 });
    const errors = trackErrors(desk);
    await desk.waitForSelector('.preview-current .reveal.ready');
    const link = desk.locator('.sessions-link');
    await expect.poll(() => link.isVisible()).toBe(true);
    const [sessions] = await Promise.all([desk.context().waitForEvent('page'), link.click()]);
    errors.push(...trackErrors(sessions));
    await sessions.waitForSelector(`tr[data-session="${before}"]`);
    // The token travelled in the fragment and left the address bar.
    expect(sessions.url()).not.toContain(TEST_TOKEN);
    expect(await sessions.title()).toBe(`${fixture.server.room.talk.title} · sessions`);
    const row = sessions.locator(`tr[data-session="${before}"]`);
    expect(await row.textContent()).toContain('(live)');

    const [download] = await Promise.all([sessions.waitForEvent('download'), row.locator('[data-export="md"]').click()]);
    expect(download.suggestedFilename()).toBe(`session-${before}.md`);
    const markdown = await (
      await fetch(`${fixture.server.url}/api/presenter/sessions/${before}/export.md`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })
    ).text();
    expect(markdown).toContain('Which session is this?');
    await screenshot(sessions, 'sessions-page');

    sessions.once('dialog', (dialog) => void dialog.accept());
    await sessions.locator('.fresh-session').click();
    await expect.poll(() => fixture.server.room.sessionId).not.toBe(before);
    await sessions.waitForSelector(`tr[data-session="${fixture.server.room.sessionId}"]`);
    expect(await sessions.locator(`tr[data-session="${before}"]`).textContent()).not.toContain('(live)');
    expect(errors).toEqual([]);
  });

  it('refuses the sessions routes without the token', async () => {
    expect((await fetch(`${fixture.server.url}/api/presenter/sessions`, { method: 'POST' })).status).toBe(401);
    const page = await open('/present/sessions');
    await expect.poll(() => page.locator('.sessions-status').textContent()).toContain('No presenter token');
    expect(await page.locator('tr').count()).toBe(0);
  });

  it('says what happened and what to do when the console has no token or a wrong one', async () => {
    for (const [path, title] of [
      ['/present/console', 'This console has no presenter token'],
      ['/present/console#token=not-the-token', 'The server refused this presenter token'],
    ] as const) {
      const page = await open(path, { width: 1280, height: 800 });
      await expect.poll(() => page.locator('.blocked-title').textContent()).toBe(title);
      expect(await page.locator('.blocked-detail').textContent()).toContain('/present/console#token=');
      expect(await page.locator('.console-grid').isVisible()).toBe(false);
      // Red, not the green of a live connection.
      expect(await page.locator('.connection').evaluate((element) => getComputedStyle(element).color)).toBe('rgb(255, 97, 136)');
      await screenshot(page, `console-${path.includes('#') ? 'wrong-token' : 'no-token'}`);
    }
  });

  it('shows the console at a laptop’s and a projector’s sizes with the room in it', { timeout: 90_000 }, async () => {
    const alice = await audience(fixture.server.url, 'room-screens-alice', 'Alice');
    const bob = await audience(fixture.server.url, 'room-screens-bob', 'Bob');
    sockets.push(alice.socket, bob.socket);
    await alice.socket.emitWithAck('question:ask', { text: 'How does Socket.IO fall back when WebSockets are blocked?' });
    await bob.socket.emitWithAck('question:ask', { text: 'Is Redis needed for a single room?' });
    await alice.socket.emitWithAck('chat:send', { text: 'Hello from the back row' });
    for (const size of [
      { width: 1280, height: 800 },
      { width: 1280, height: 720 },
      { width: 1920, height: 1080 },
    ]) {
      const desk = await open(`/present/console#token=${TEST_TOKEN}`, size);
      const errors = trackErrors(desk);
      await expect.poll(() => desk.textContent('.connection')).toBe('live');
      await expect.poll(() => desk.locator('.question').count()).toBe(2);
      // Reactions sent while the console is open all reach its stream (presenters get every burst).
      for (let sent = 0; sent < 5; sent++) await alice.socket.emitWithAck('reaction:send', { emoji: '👏' });
      await expect.poll(() => desk.locator('.reaction-totals').textContent()).toContain('5');
      expect(await desk.locator('.reaction-stream').getAttribute('class')).not.toContain('is-empty');
      // Who asked, then where: no separator left dangling at the end of a line.
      for (const meta of await desk.locator('.question .meta .who').allTextContents()) expect(['Alice', 'Bob']).toContain(meta);
      expect(
        await desk
          .locator('.question .meta')
          .first()
          .evaluate((element) => element.textContent?.trim().endsWith('·')),
      ).toBe(false);
      expect(await desk.locator('.audience-count').textContent()).toMatch(/^\s*\d+$/);
      await screenshot(desk, `console-${size.width}x${size.height}`);
      expect(errors).toEqual([]);
      await desk.context().close();
    }
  });

  it('has a title and an icon on every page', async () => {
    const pages = [
      ['/', PHONE],
      [`/present#token=${TEST_TOKEN}`, { viewport: { width: 1280, height: 720 } }],
      [`/present/console#token=${TEST_TOKEN}`, { viewport: { width: 1280, height: 800 } }],
      [`/present/sessions#token=${TEST_TOKEN}`, { viewport: { width: 1280, height: 800 } }],
    ] as const;
    for (const [path, options] of pages) {
      const page = await (await fixture.browser.newContext(options)).newPage();
      const missing: string[] = [];
      page.on('response', (response) => {
        if (response.status() >= 400) missing.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(`${fixture.server.url}${path}`);
      await expect.poll(() => page.title()).toContain(fixture.server.room.talk.title);
      const icon = await page.locator('link[rel="icon"]').getAttribute('href');
      expect(icon, path).toBeTruthy();
      expect((await fetch(new URL(icon!, fixture.server.url))).headers.get('content-type')).toContain('image/svg+xml');
      expect(missing, path).toEqual([]);
      await page.context().close();
    }
  });
});
