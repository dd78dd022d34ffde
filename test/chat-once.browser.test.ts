import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LiveSocket } from '../demo-server/realtime/live-server.js';
import { PHONE, trackErrors } from './browser.js';
import { audience, browserFixture, waitForEvent, type TestClient } from './helpers.js';

/** How many times each text shows in a list of the page. */
const shown = (page: Page, selector: string, text: string) =>
  page.$$eval(selector, (nodes, wanted) => nodes.filter((node) => node.querySelector('.text')?.textContent === wanted).length, text);

/**
 * The sender of a chat message gets it once, in its ack (the broadcast skips
 * it): its room panel and the slide's chat widget show it exactly once, also
 * across a recovered reconnection and when the ack is lost to a drop.
 */
describe('a phone shows its own chat message exactly once', () => {
  const fixture = browserFixture();
  let other: TestClient;
  let phone: Page;
  let errors: string[];
  let clientId: string;

  /** The server side of the phone's connection, as it is now (a recovered connection is a new socket with the same id). */
  const phoneSocket = (): LiveSocket | undefined => [...fixture.server.io.of('/').sockets.values()].find((socket) => socket.data.clientId === clientId);

  async function send(text: string): Promise<void> {
    await phone.fill('#view-chat input', text);
    await phone.press('#view-chat input', 'Enter');
  }

  /** Both lists of the phone, once another phone's later message has arrived (so a duplicate would have too). */
  async function expectOnce(text: string, marker: string): Promise<void> {
    expect(await other.emitWithAck('chat:send', { text: marker })).toMatchObject({ ok: true });
    await expect.poll(() => shown(phone, '.chat-list li', marker)).toBe(1);
    await expect.poll(() => shown(phone, '.chat-widget-list li', marker)).toBe(1);
    expect(await shown(phone, '.chat-list li', text)).toBe(1);
    expect(await shown(phone, '.chat-widget-list li', text)).toBe(1);
  }

  beforeAll(async () => {
    other = (await audience(fixture.server.url, 'other-phone-01')).socket;
    fixture.sockets.push(other);
    // The talk's live chat slide, so the phone's deck shows the chat widget too.
    const h = fixture.server.room.talk.slides.findIndex((stack) => stack.some((slide) => slide.html.includes('data-widget="chat"')));
    const v = fixture.server.room.talk.slides[h]!.findIndex((slide) => slide.html.includes('data-widget="chat"'));
    await fixture.server.room.changeControl({ type: 'slide:set', position: { h, v, f: -1 } });
    phone = await (await fixture.browser.newContext(PHONE)).newPage();
    errors = trackErrors(phone);
    await phone.goto(`${fixture.server.url}/`);
    await phone.waitForFunction(() => document.querySelector('.status')?.textContent === 'live');
    await phone.waitForSelector('.chat-widget-list');
    clientId = await phone.evaluate(() => localStorage.getItem('livedeck.clientId') ?? '');
  });

  it('when sent', async () => {
    await send('mine, sent');
    await expectOnce('mine, sent', 'marker one');
  });

  it('after a drop restored by connection state recovery', async () => {
    const before = phoneSocket()!.id;
    phoneSocket()!.conn.close();
    await expect.poll(() => phoneSocket()?.connected && phoneSocket()?.id).toBe(before);
    await expectOnce('mine, sent', 'marker two');
  });

  it('when its ack is lost to a drop: the phone reconnects for a snapshot that carries it', async () => {
    // The connection drops the moment the server receives the message: stored and broadcast, the ack never arrives.
    phoneSocket()!.prependAny(function (this: LiveSocket, event: string) {
      if (event === 'chat:send') this.conn.close();
    });
    await send('mine, ack lost');
    await expect.poll(() => phone.textContent('#view-chat .notice')).toContain('did not answer');
    await expect.poll(() => shown(phone, '.chat-list li', 'mine, ack lost')).toBe(1);
    await expectOnce('mine, ack lost', 'marker three');
    // The snapshot carried only what came after the phone's last message: the widget keeps what it showed before.
    expect(await shown(phone, '.chat-widget-list li', 'marker two')).toBe(1);
  });

  it('when its ack is lost and other people’s messages arrived before the drop: the snapshot still carries it', async () => {
    // The ack alone is dropped (Socket.IO's ACK packets start with 3), so the phone keeps hearing the room while it waits.
    const conn = phoneSocket()!.conn;
    const write = conn.write.bind(conn);
    conn.write = ((data: unknown, ...rest: unknown[]) =>
      typeof data === 'string' && data.startsWith('3') ? conn : (write as (...args: unknown[]) => typeof conn)(data, ...rest)) as typeof conn.write;
    const stored = waitForEvent(other, 'chat:message', (message) => message.text === 'mine, then theirs', 15_000);
    await send('mine, then theirs');
    await stored;
    expect(await other.emitWithAck('chat:send', { text: 'theirs, newer than mine' })).toMatchObject({ ok: true });
    await expect.poll(() => shown(phone, '.chat-list li', 'theirs, newer than mine')).toBe(1);
    expect(await shown(phone, '.chat-list li', 'mine, then theirs')).toBe(0);
    conn.close();
    await expect.poll(() => phone.textContent('#view-chat .notice')).toContain('did not answer');
    await expect.poll(() => shown(phone, '.chat-list li', 'mine, then theirs')).toBe(1);
    await expectOnce('mine, then theirs', 'marker four');
    expect(errors).toEqual([]);
  });
});
