import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PaceBalance } from '../src/shared/protocol.js';
import { audience, connectClient, nextEvents, presenter, recordEvents, serverFixture, tempDir, TEST_TOKEN, waitForEvent, type TestClient } from './helpers.js';

/** Resolves with the first balance equal to `expected`. */
const balanceReaches = (socket: TestClient, expected: PaceBalance) =>
  waitForEvent(socket, 'pace:balance', (balance) => balance.slower === expected.slower && balance.faster === expected.faster);

describe('the console controls over real sockets', () => {
  const { sockets, start: startWith } = serverFixture();
  const start = (dbFile?: string) => startWith(dbFile ? { dbFile } : {});

  it('keeps the timer, the blank screen and the pause across a server restart on the same database', async () => {
    const dbFile = path.join(tempDir(), 'livedeck.db');
    const first = await start(dbFile);
    const boss = await presenter(first.url);
    sockets.push(boss.socket);
    expect(boss.snapshot.timer).toEqual({ startedAt: null, accumulatedMs: 0, running: false });

    const changed = nextEvents(boss.socket, 'timer:changed');
    const started = await boss.socket.emitWithAck('timer:control', { action: 'start' });
    expect(started).toMatchObject({ ok: true, timer: { running: true, accumulatedMs: 0 } });
    const [event] = await changed;
    expect(event!.timer).toEqual(started.ok && started.timer);
    expect(typeof event!.serverNow).toBe('number');

    const paused = await boss.socket.emitWithAck('timer:control', { action: 'pause' });
    const resumed = await boss.socket.emitWithAck('timer:control', { action: 'start' });
    expect(await boss.socket.emitWithAck('screen:blank', { blank: true })).toEqual({ ok: true });
    expect(await boss.socket.emitWithAck('follow:pause', { message: 'Coffee break' })).toEqual({ ok: true });
    if (!paused.ok || !resumed.ok) throw new Error('timer control refused');
    expect(paused.timer.running).toBe(false);
    expect(resumed.timer).toEqual({ startedAt: expect.any(Number), accumulatedMs: paused.timer.accumulatedMs, running: true });

    boss.socket.close();
    await first.close();

    const second = await start(dbFile);
    const again = await presenter(second.url);
    const phone = await audience(second.url, 'phone-after-restart');
    sockets.push(again.socket, phone.socket);
    expect(again.snapshot.timer).toEqual(resumed.timer);
    expect(again.snapshot.serverNow).toBeGreaterThanOrEqual(resumed.timer.startedAt!);
    expect(again.snapshot.blank).toBe(true);
    expect(again.snapshot.paused).toEqual({ message: 'Coffee break' });
    expect(phone.snapshot.paused).toEqual({ message: 'Coffee break' });

    const reset = await again.socket.emitWithAck('timer:control', { action: 'reset' });
    expect(reset).toEqual({ ok: true, timer: { startedAt: null, accumulatedMs: 0, running: false } });
  });

  it('refuses the console controls to phones with forbidden', async () => {
    const server = await start();
    const phone = await audience(server.url, 'phone-not-boss-1');
    sockets.push(phone.socket);
    for (const [event, payload] of [
      ['timer:control', { action: 'start' }],
      ['screen:blank', { blank: true }],
      ['follow:pause', { message: 'gotcha' }],
    ] as const) {
      const reply = await phone.socket.emitWithAck(event as 'screen:blank', payload as never);
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(server.room.control.timer.running).toBe(false);
    expect(server.room.control.blank).toBe(false);
    expect(server.room.control.paused).toBeNull();
  });

  it('validates the payloads', async () => {
    const server = await start();
    const boss = await presenter(server.url);
    const phone = await audience(server.url, 'phone-validates');
    sockets.push(boss.socket, phone.socket);
    expect(await boss.socket.emitWithAck('timer:control', { action: 'rewind' } as never)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await boss.socket.emitWithAck('follow:pause', { message: 'x'.repeat(141) })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await phone.socket.emitWithAck('pace:vote', { dir: 'sideways' } as never)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    // Pace votes are the audience's voice, not the presenter's.
    expect(await boss.socket.emitWithAck('pace:vote', { dir: 'faster' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('tells every screen about blank and pause, and only presenters about the timer', async () => {
    const server = await start();
    const boss = await presenter(server.url);
    const phone = await audience(server.url, 'phone-screen-1');
    sockets.push(boss.socket, phone.socket);

    const phoneScreen = nextEvents(phone.socket, 'screen:changed', 2);
    const phoneTimer = recordEvents(phone.socket, 'timer:changed');
    const bossTimer = nextEvents(boss.socket, 'timer:changed');
    await boss.socket.emitWithAck('timer:control', { action: 'start' });
    await boss.socket.emitWithAck('follow:pause', {});
    await boss.socket.emitWithAck('follow:pause', { message: null });
    expect(await phoneScreen).toEqual([
      // No message: each screen says its own default, in its language.
      { blank: false, paused: {}, rev: expect.any(Number) },
      { blank: false, paused: null, rev: expect.any(Number) },
    ]);
    // The pauses reached the phone after anything the timer's start sent it: nothing, while the presenter heard it.
    expect(await bossTimer).toHaveLength(1);
    expect(phoneTimer.received).toEqual([]);
  });

  it('counts one pace vote per clientId and sends the balance to the presenter', async () => {
    const server = await start();
    const boss = await presenter(server.url);
    sockets.push(boss.socket);
    expect(boss.snapshot.pace).toEqual({ slower: 0, faster: 0 });
    // Two tabs of one person, and a second person.
    const tabA = await audience(server.url, 'same-person-1234');
    const tabB = await audience(server.url, 'same-person-1234');
    const other = await audience(server.url, 'other-person-5678');
    sockets.push(tabA.socket, tabB.socket, other.socket);
    expect(tabA.snapshot.pace).toBeUndefined();

    const bothVotes = balanceReaches(boss.socket, { slower: 1, faster: 1 });
    expect(await tabA.socket.emitWithAck('pace:vote', { dir: 'slower' })).toEqual({ ok: true });
    expect(await tabB.socket.emitWithAck('pace:vote', { dir: 'slower' })).toEqual({ ok: true });
    expect(await other.socket.emitWithAck('pace:vote', { dir: 'faster' })).toEqual({ ok: true });
    // The room batches the balance once a second, so a tick may fall between two votes.
    expect(await bothVotes).toEqual({ slower: 1, faster: 1 });

    const takenBack = balanceReaches(boss.socket, { slower: 0, faster: 1 });
    await tabB.socket.emitWithAck('pace:vote', { dir: null });
    expect(await takenBack).toEqual({ slower: 0, faster: 1 });

    // A presenter that connects later gets the balance in its snapshot.
    const late = await connectClient(server.url, { role: 'presenter', token: TEST_TOKEN });
    sockets.push(late.socket);
    expect(late.snapshot.pace).toEqual({ slower: 0, faster: 1 });
  });
});
