import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { LiveDeckServer } from '../demo-server/server.js';
import { PROTOCOL_VERSION } from '../src/shared/protocol.js';
import { PHONE, screenshot, trackErrors } from './browser.js';
import { browserFixture, TEST_TOKEN } from './helpers.js';

/**
 * A page holding an old bundle after an upgrade: the server speaks another
 * protocol version than the page was built for. Served here by the real
 * server answering with the next version in its snapshots.
 */
describe('a page built for another protocol version', { timeout: 120_000 }, () => {
  const fixture = browserFixture();
  let realSnapshotFor: LiveDeckServer['room']['snapshotFor'];

  const upgradeServer = () => {
    fixture.server.room.snapshotFor = async (data) => ({ ...(await realSnapshotFor(data)), protocol: PROTOCOL_VERSION + 1 });
  };
  const restoreServer = () => {
    fixture.server.room.snapshotFor = realSnapshotFor;
  };
  const connectedSockets = () => fixture.server.io.of('/').sockets.size;
  /** A closed page's WebSocket ends at once; a session still on long-polling may end only when its heartbeat times out. */
  const onWebSocket = () => [...fixture.server.io.of('/').sockets.values()].every((socket) => socket.conn.transport.name === 'websocket');
  const CLOSED_WITHIN = { timeout: 30_000 };

  beforeAll(async () => {
    realSnapshotFor = fixture.server.room.snapshotFor.bind(fixture.server.room);
  });

  const surfaces: Array<{ name: string; path: string; context: Parameters<Browser['newContext']>[0] }> = [
    { name: 'phone', path: '/', context: PHONE },
    { name: 'projector', path: `/present#token=${TEST_TOKEN}`, context: { viewport: { width: 1280, height: 720 } } },
    { name: 'console', path: `/present/console#token=${TEST_TOKEN}`, context: { viewport: { width: 1280, height: 800 } } },
  ];

  for (const surface of surfaces) {
    it(`asks the ${surface.name} to reload, disconnected, and the reload brings it back`, async () => {
      upgradeServer();
      const outdated: Page = await (await fixture.browser.newContext(surface.context)).newPage();
      const errors = trackErrors(outdated);
      await outdated.goto(`${fixture.server.url}${surface.path}`);
      const notice = outdated.locator('dialog.reload-notice');
      await notice.waitFor({ timeout: 10_000 });
      expect(await notice.locator('h2').textContent()).toBe('This page is out of date');
      expect(await notice.locator('button.reload-button').isVisible()).toBe(true);
      await expect.poll(connectedSockets).toBe(0);
      await screenshot(outdated, `reload-notice-${surface.name}`);

      // A current page connects (the later positive event); the outdated one stayed away.
      restoreServer();
      const current = await (await fixture.browser.newContext(surface.context)).newPage();
      await current.goto(`${fixture.server.url}${surface.path}`);
      await expect.poll(connectedSockets).toBe(1);
      expect(await current.locator('dialog.reload-notice').count()).toBe(0);
      await expect.poll(onWebSocket).toBe(true);
      await current.context().close();
      await expect.poll(connectedSockets, CLOSED_WITHIN).toBe(0);

      // The reload button loads the page again, now built for the server's protocol.
      await outdated.locator('button.reload-button').click();
      await expect.poll(connectedSockets).toBe(1);
      await outdated.waitForSelector('.reveal.ready');
      expect(await outdated.locator('dialog.reload-notice').count()).toBe(0);
      expect(errors).toEqual([]);
      await expect.poll(onWebSocket).toBe(true);
      await outdated.context().close();
      await expect.poll(connectedSockets, CLOSED_WITHIN).toBe(0);
    });
  }
});
