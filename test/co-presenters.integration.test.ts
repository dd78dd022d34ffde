/**
 * Co-presenters over real sockets (issue 13, item 6): several screens hold
 * the presenter token, exactly one seat drives, phones follow only it, two
 * consoles racing to drive never fight, a driver that disappears is taken
 * over after the take-over delay, and one presenter's screens (same name, or
 * none) drive together as before.
 */
import { describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../demo-server/server.js';
import { audience, connectClient, serverFixture, TEST_TOKEN, waitForEvent, type Connected } from './helpers.js';

/** Long enough to see a refusal first, short enough for a test. */
const TAKEOVER_MS = 400;

describe('co-presenters', () => {
  let server: LiveDeckServer;
  const { sockets, start } = serverFixture();

  async function seat(name?: string): Promise<Connected> {
    const connected = await connectClient(server.url, { role: 'presenter', token: TEST_TOKEN, ...(name === undefined ? {} : { name }) });
    sockets.push(connected.socket);
    return connected;
  }

  it('lets the first presenter drive, refuses another seat’s moves, and keeps phones on the driver’s slide', async () => {
    server = await start({ driverTakeoverMs: TAKEOVER_MS });
    const alice = await seat('Alice');
    expect(alice.snapshot.drive?.you).toEqual({ seat: 'alice', name: 'Alice' });
    await expect.poll(() => server.room.control.driver?.name).toBe('Alice');
    const bob = await seat('Bob');
    expect(bob.snapshot.drive?.driver).toMatchObject({ seat: 'alice', name: 'Alice', goneSince: null });
    const phone = await audience(server.url, 'copresenter-phone');
    sockets.push(phone.socket);

    const moved = await alice.socket.emitWithAck('slide:set', { h: 1, v: 0, f: -1 });
    expect(moved.ok).toBe(true);
    const refused = await bob.socket.emitWithAck('slide:set', { h: 4, v: 0, f: -1 });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'Alice is driving; ask them to hand over', reason: 'other_driver', params: { name: 'Alice' } },
    });
    expect(server.room.control.slide).toMatchObject({ h: 1, v: 0 });

    // Alice's own console (same name, other case) drives with her projector.
    const aliceConsole = await seat('alice');
    const followed = waitForEvent(phone.socket, 'slide:changed', (slide) => slide.h === 2);
    expect((await aliceConsole.socket.emitWithAck('slide:set', { h: 2, v: 0, f: -1 })).ok).toBe(true);
    await followed;
  });

  it('hands over with one tap: Bob asks, every console sees who asks, Alice hands over', async () => {
    server = await start({ driverTakeoverMs: TAKEOVER_MS });
    const alice = await seat('Alice');
    await expect.poll(() => server.room.control.driver?.seat).toBe('alice');
    const bob = await seat('Bob');
    const carol = await seat('Carol');

    const seenByCarol = waitForEvent(carol.socket, 'drive:changed', (drive) => drive.asking?.seat === 'bob');
    const asked = await bob.socket.emitWithAck('drive:ask', {});
    expect(asked).toMatchObject({ ok: true, drive: { driver: { seat: 'alice' }, asking: { seat: 'bob', name: 'Bob' } } });
    await seenByCarol;

    // Only the driver answers, and only for the seat that asked.
    expect(await carol.socket.emitWithAck('drive:handover', { to: 'bob' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await alice.socket.emitWithAck('drive:handover', { to: 'carol' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const changed = waitForEvent(carol.socket, 'drive:changed', (drive) => drive.driver?.seat === 'bob');
    expect(await alice.socket.emitWithAck('drive:handover', { to: 'bob' })).toMatchObject({ ok: true, drive: { driver: { seat: 'bob' }, asking: null } });
    await changed;
    expect((await bob.socket.emitWithAck('slide:set', { h: 3, v: 0, f: -1 })).ok).toBe(true);
    expect(await alice.socket.emitWithAck('slide:set', { h: 1, v: 0, f: -1 })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // A decline clears the request and keeps the driver.
    await alice.socket.emitWithAck('drive:ask', {});
    expect(await bob.socket.emitWithAck('drive:decline', { to: 'alice' })).toMatchObject({ ok: true, drive: { driver: { seat: 'bob' }, asking: null } });
  });

  it('lets exactly one of two consoles racing to drive win, and both agree who it is', async () => {
    server = await start({ driverTakeoverMs: TAKEOVER_MS });
    // Alice drove and left; past the delay, Bob and Carol both ask at the same moment, then both move.
    const alice = await seat('Alice');
    await expect.poll(() => server.room.control.driver?.seat).toBe('alice');
    const [bob, carol] = await Promise.all([seat('Bob'), seat('Carol')]);
    alice.socket.close();
    await expect.poll(() => server.room.control.driver?.goneSince).not.toBeNull();
    const goneSince = server.room.control.driver!.goneSince!;
    await expect.poll(() => Date.now() - goneSince >= TAKEOVER_MS).toBe(true);
    const asks = await Promise.all([bob.socket.emitWithAck('drive:ask', {}), carol.socket.emitWithAck('drive:ask', {})]);
    const driver = server.room.control.driver!.seat;
    expect(['bob', 'carol']).toContain(driver);
    const moves = await Promise.all([bob.socket.emitWithAck('slide:set', { h: 2, v: 0, f: -1 }), carol.socket.emitWithAck('slide:set', { h: 5, v: 0, f: -1 })]);
    // Exactly one move went through: the driver's; the other console is told who drives.
    expect(moves.filter((move) => move.ok)).toHaveLength(1);
    const winner = moves[0]!.ok ? 'bob' : 'carol';
    expect(winner).toBe(driver);
    expect(server.room.control.slide.h).toBe(winner === 'bob' ? 2 : 5);
    for (const ask of asks) expect(ask).toMatchObject({ ok: true, drive: { driver: { seat: driver } } });
    expect(server.room.control.asking?.seat).toBe(driver === 'bob' ? 'carol' : 'bob');
  });

  it('takes over from a driver whose screens have all gone, only after the take-over delay', async () => {
    server = await start({ driverTakeoverMs: TAKEOVER_MS });
    const alice = await seat('Alice');
    await expect.poll(() => server.room.control.driver?.seat).toBe('alice');
    const bob = await seat('Bob');

    alice.socket.close();
    await expect.poll(() => server.room.control.driver?.goneSince).not.toBeNull();
    // Too early: Bob's ask waits like any other.
    const early = await bob.socket.emitWithAck('drive:ask', {});
    expect(early).toMatchObject({ ok: true, drive: { driver: { seat: 'alice' }, asking: { seat: 'bob' } } });
    expect(await bob.socket.emitWithAck('slide:set', { h: 2, v: 0, f: -1 })).toMatchObject({ ok: false });

    const goneSince = server.room.control.driver!.goneSince!;
    await expect.poll(() => Date.now() - goneSince >= TAKEOVER_MS).toBe(true);
    const late = await bob.socket.emitWithAck('drive:ask', {});
    expect(late).toMatchObject({ ok: true, drive: { driver: { seat: 'bob', goneSince: null }, asking: null } });
    expect((await bob.socket.emitWithAck('slide:set', { h: 2, v: 0, f: -1 })).ok).toBe(true);
  });

  it('keeps the driver while one of its screens is still connected, and clears the absence when one comes back', async () => {
    server = await start({ driverTakeoverMs: TAKEOVER_MS });
    const projector = await seat();
    const console = await seat();
    await expect.poll(() => server.room.control.driver).toEqual({ seat: '', name: '', goneSince: null });
    projector.socket.close();
    // The console still holds the seat: nothing to note.
    await expect.poll(() => server.io.of('/').sockets.size).toBe(1);
    expect(server.room.control.driver?.goneSince).toBeNull();
    console.socket.close();
    await expect.poll(() => server.room.control.driver?.goneSince).not.toBeNull();
    await seat();
    await expect.poll(() => server.room.control.driver?.goneSince).toBeNull();
  });

  it('refuses a malformed presenter name at the handshake', async () => {
    server = await start();
    await expect(connectClient(server.url, { role: 'presenter', token: TEST_TOKEN, name: 'x'.repeat(40) })).rejects.toMatchObject({
      data: { code: 'invalid' },
    });
  });
});
