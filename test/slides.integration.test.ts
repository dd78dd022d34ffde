import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../demo-server/server.js';
import { audience, connectClient, nextEvents, presenter, recordEvents, serverFixture, tempDir, TEST_TOKEN } from './helpers.js';

describe('the live deck over real sockets', () => {
  let server: LiveDeckServer;
  const { sockets, start } = serverFixture();

  beforeEach(async () => {
    server = await start();
  });

  it('sends a snapshot with the current slide on connect', async () => {
    const { socket, snapshot } = await audience(server.url, 'phone-aaaaaaaa');
    sockets.push(socket);
    expect(snapshot.slide).toEqual({ h: 0, v: 0, f: -1, seq: 0 });
    expect(snapshot.role).toBe('audience');
  });

  it('fans every presenter move out to every phone, in order, with increasing seq', async () => {
    const boss = await presenter(server.url);
    const phones = await Promise.all(Array.from({ length: 5 }, (_, index) => audience(server.url, `phone-${index}-abcdefg`)));
    sockets.push(boss.socket, ...phones.map((phone) => phone.socket));
    const received = phones.map((phone) => nextEvents(phone.socket, 'slide:changed', 3));

    const acks = [];
    for (const position of [
      { h: 1, v: 0, f: -1 },
      { h: 2, v: 0, f: 0 },
      { h: 2, v: 0, f: 1 },
    ]) {
      acks.push(await boss.socket.emitWithAck('slide:set', position));
    }
    expect(acks).toEqual([
      { ok: true, seq: 1 },
      { ok: true, seq: 2 },
      { ok: true, seq: 3 },
    ]);
    for (const events of await Promise.all(received)) {
      // Each move carries its revision (docs/protocol.md, Revisions), later for each later move.
      expect(events).toEqual([
        { h: 1, v: 0, f: -1, seq: 1, rev: expect.any(Number) },
        { h: 2, v: 0, f: 0, seq: 2, rev: expect.any(Number) },
        { h: 2, v: 0, f: 1, seq: 3, rev: expect.any(Number) },
      ]);
      const revs = events.map((slide) => slide.rev ?? 0);
      expect(revs).toEqual([...revs].sort((a, b) => a - b));
      expect(new Set(revs).size).toBe(3);
    }
  });

  it('lands a late joiner on the current slide', async () => {
    const boss = await presenter(server.url);
    sockets.push(boss.socket);
    await boss.socket.emitWithAck('slide:set', { h: 4, v: 0, f: -1 });
    const late = await audience(server.url, 'late-joiner-1');
    sockets.push(late.socket);
    expect(late.snapshot.slide).toEqual({ h: 4, v: 0, f: -1, seq: 1 });
  });

  it('accepts 0 or -1 as the fragment of a slide without fragments, and a repeat changes nothing', async () => {
    const boss = await presenter(server.url);
    sockets.push(boss.socket);
    expect(await boss.socket.emitWithAck('slide:set', { h: 1, v: 0, f: 0 })).toEqual({ ok: true, seq: 1 });
    expect(await boss.socket.emitWithAck('slide:set', { h: 1, v: 0, f: -1 })).toEqual({ ok: true, seq: 2 });
    expect(await boss.socket.emitWithAck('slide:set', { h: 1, v: 0, f: -1 })).toEqual({ ok: true, seq: 2 });
  });

  it('refuses slide:set from the audience with forbidden, and broadcasts nothing', async () => {
    const forger = await audience(server.url, 'forger-aaaaaa');
    const watcher = await audience(server.url, 'watcher-aaaaa');
    const boss = await presenter(server.url);
    sockets.push(forger.socket, watcher.socket, boss.socket);
    const heard = recordEvents(watcher.socket, 'slide:changed');
    const reply = await forger.socket.emitWithAck('slide:set', { h: 3, v: 0, f: -1 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The role check comes first: a malformed payload from the audience is also forbidden.
    expect(await forger.socket.emitWithAck('slide:set', { nonsense: true } as never)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(server.room.control.slide.seq).toBe(0);
    // The presenter's move reaches the watcher after anything the refused moves could have broadcast.
    const presenterMove = nextEvents(watcher.socket, 'slide:changed');
    expect(await boss.socket.emitWithAck('slide:set', { h: 2, v: 0, f: -1 })).toMatchObject({ ok: true });
    await presenterMove;
    expect(heard.received).toEqual([{ h: 2, v: 0, f: -1, seq: 1, rev: expect.any(Number) }]);
  });

  it.each([
    [{ h: -1, v: 0, f: 0 }],
    [{ h: 1.5, v: 0, f: 0 }],
    [{ h: 1, v: 0 }],
    [{ h: '1', v: 0, f: 0 }],
    [{ h: 1, v: 0, f: -2 }],
    [{ h: 1, v: 0, f: 0, extra: true }],
    [{ h: 5000, v: 0, f: 0 }],
    [{ h: 40, v: 0, f: 0 }],
    [null],
  ])('refuses a malformed slide:set %j with invalid', async (payload) => {
    const boss = await presenter(server.url);
    sockets.push(boss.socket);
    const reply = await boss.socket.emitWithAck('slide:set', payload as never);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(server.room.control.slide.seq).toBe(0);
  });

  it('refuses a presenter with a wrong or missing token, never downgrading it to audience', async () => {
    await expect(connectClient(server.url, { role: 'presenter', token: 'wrong' })).rejects.toMatchObject({ data: { code: 'forbidden' } });
    await expect(connectClient(server.url, { role: 'presenter', token: TEST_TOKEN + 'x' })).rejects.toThrow();
    await expect(connectClient(server.url, { role: 'presenter' })).rejects.toMatchObject({ data: { code: 'invalid' } });
  });

  it('keeps the slide across a server restart on the same database', async () => {
    const dbFile = path.join(tempDir(), 'restart.db');
    const first = await start({ dbFile });
    const boss = await presenter(first.url);
    await boss.socket.emitWithAck('slide:set', { h: 3, v: 0, f: -1 });
    boss.socket.close();
    await first.close();
    const second = await start({ dbFile });
    const phone = await audience(second.url, 'after-restart-1');
    sockets.push(phone.socket);
    expect(phone.snapshot.slide).toEqual({ h: 3, v: 0, f: -1, seq: 1 });
  });
});
