/**
 * Hostile room, part 5: faults. SIGTERM (a real child process), a shutdown
 * with an event in flight, the presenter's network dropping, and a phone
 * that stops reading. The Redis-outage fault lives with the Redis tests.
 */
import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIENCE_ROOM } from '../../demo-server/realtime/live-server.js';
import type { ChatMessage } from '../../src/shared/protocol.js';
import { audience, nextEvents, presenter, serverFixture, tempDir, TEST_TOKEN, until } from '../helpers.js';
import { runServerProcess, startServerProcess, type ServerProcess, PROCESS_TEST_TIMEOUT } from '../process.js';
import { expectHarmless, RawClient } from './harness.js';

describe('hostile room: faults', { timeout: PROCESS_TEST_TIMEOUT }, () => {
  const { sockets, start } = serverFixture();
  const processes: ServerProcess[] = [];
  afterEach(async () => {
    for (const handle of processes.splice(0)) handle.child.kill('SIGKILL');
  });

  it('on SIGTERM tells phones it is restarting, keeps every acked write, closes the database and exits 0', async () => {
    const dbFile = path.join(tempDir(), 'sigterm.db');
    const first = await startServerProcess({ LIVEDECK_DB: dbFile, LOG_LEVEL: 'debug' });
    processes.push(first);
    const phones = await Promise.all([audience(first.url, 'sigterm-phone-1'), audience(first.url, 'sigterm-phone-2')]);
    const boss = await presenter(first.url);
    sockets.push(boss.socket, ...phones.map((phone) => phone.socket));
    await boss.socket.emitWithAck('slide:set', { h: 2, v: 0, f: -1 });

    const told = phones.map((phone) => nextEvents(phone.socket, 'server:restarting'));
    const settled = phones.flatMap((phone, index) =>
      Array.from({ length: 5 }, (_, n) =>
        phone.socket
          .timeout(10_000)
          .emitWithAck('chat:send', { text: `phone ${index} message ${n}` })
          .catch(() => undefined),
      ),
    );
    // Some of these are still being handled when the signal lands: those that were acked must survive.
    first.child.kill('SIGTERM');
    await Promise.all(told);
    expect(await first.exited).toBe(0);
    const acked = (await Promise.all(settled)).flatMap((reply) => (reply?.ok ? [reply.message.id] : []));
    expect(acked.length).toBeGreaterThan(0);
    // A clean close checkpoints the write-ahead log into the database file and removes it.
    expect(fs.existsSync(`${dbFile}-wal`)).toBe(false);

    // Structured logs: JSON lines with a connection id, and never the token.
    const logLines = first
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logLines.some((line) => typeof line.conn === 'string')).toBe(true);
    expect(logLines.map((line) => line.msg)).toEqual(expect.arrayContaining(['stopping', 'stopped']));
    expect(logLines.filter((line) => JSON.stringify(line).includes(TEST_TOKEN))).toEqual([]);

    const second = await startServerProcess({ LIVEDECK_DB: dbFile });
    processes.push(second);
    const late = await audience(second.url, 'sigterm-late-1');
    sockets.push(late.socket);
    expect(late.snapshot.slide).toMatchObject({ h: 2, v: 0 });
    const stored = late.snapshot.chat.map((message) => message.id);
    for (const id of acked) expect(stored).toContain(id);
  });

  it('exits 0 on SIGTERM with no one connected', async () => {
    const handle = runServerProcess({ LIVEDECK_DB: path.join(tempDir(), 'idle.db') });
    processes.push(handle);
    await handle.ready;
    handle.child.kill('SIGTERM');
    expect(await handle.exited).toBe(0);
  });

  it('lets an event in flight finish and commit during close(), and refuses new handshakes', async () => {
    const dbFile = path.join(tempDir(), 'in-flight.db');
    const server = await start({ dbFile });
    const phone = await audience(server.url, 'in-flight-phone');
    sockets.push(phone.socket);
    // Hold the write until close() has begun, as a slow disk would.
    const storage = server.room.storage as unknown as { addChat: (...args: unknown[]) => Promise<ChatMessage> };
    const addChat = storage.addChat.bind(storage);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let writing!: () => void;
    const started = new Promise<void>((resolve) => (writing = resolve));
    storage.addChat = async (...args) => {
      writing();
      await held;
      return addChat(...args);
    };
    const reply = phone.socket.timeout(10_000).emitWithAck('chat:send', { text: 'written during shutdown' });
    await started;
    const told = nextEvents(phone.socket, 'server:restarting');
    const closing = server.close();
    await told;
    await expect(RawClient.open(server)).rejects.toThrow();
    release();
    const ack = await reply;
    expect(ack).toMatchObject({ ok: true, message: { text: 'written during shutdown' } });
    await closing;

    const reopened = await start({ dbFile });
    const late = await audience(reopened.url, 'in-flight-late');
    sockets.push(late.socket);
    expect(late.snapshot.chat.map((message) => message.text)).toContain('written during shutdown');
  });

  it('shows phones the presenter offline and back, on the same slide and session', async () => {
    const server = await start();
    const phone = await audience(server.url, 'presenter-drop-phone');
    sockets.push(phone.socket);
    const online = nextEvents(phone.socket, 'presenter:status');
    const boss = await presenter(server.url);
    expect(await online).toEqual([{ online: true }]);
    await boss.socket.emitWithAck('slide:set', { h: 3, v: 0, f: -1 });

    const offline = nextEvents(phone.socket, 'presenter:status');
    await expectHarmless(server, async () => {
      // The projector's Wi-Fi drops: no goodbye, the transport just goes.
      boss.socket.io.engine.close();
      expect(await offline).toEqual([{ online: false }]);
    });
    // A phone that joins meanwhile learns the state at once, and still gets the last slide.
    const latecomer = await audience(server.url, 'presenter-drop-late');
    sockets.push(latecomer.socket);
    expect(latecomer.snapshot.slide).toMatchObject({ h: 3, v: 0 });
    expect(latecomer.snapshot.sessionId).toBe(phone.snapshot.sessionId);
    expect(latecomer.snapshot.presenterOnline).toBe(false);

    const back = nextEvents(phone.socket, 'presenter:status');
    const again = await presenter(server.url);
    sockets.push(again.socket, boss.socket);
    expect(await back).toEqual([{ online: true }]);
    const moved = nextEvents(phone.socket, 'slide:changed');
    await again.socket.emitWithAck('slide:set', { h: 4, v: 0, f: -1 });
    expect(await moved).toEqual([expect.objectContaining({ h: 4, v: 0 })]);
  });

  it('tells a phone that connects while no presenter is there that the presenter is offline', async () => {
    const server = await start();
    const phone = await audience(server.url, 'no-presenter-yet');
    sockets.push(phone.socket);
    expect(phone.snapshot.presenterOnline).toBe(false);
    // On the wire: the snapshot says so, with no packet of its own.
    const raw = await RawClient.open(server, { auth: { role: 'audience', clientId: 'no-presenter-raw' } });
    const snapshot = await raw.next((frame) => frame.startsWith('42["snapshot"'));
    expect(JSON.parse(snapshot.slice(2))).toEqual(['snapshot', expect.objectContaining({ presenterOnline: false })]);
    raw.close();
    const boss = await presenter(server.url);
    sockets.push(boss.socket);
    const later = await audience(server.url, 'presenter-there-now');
    sockets.push(later.socket);
    expect(later.snapshot.presenterOnline).toBe(true);
  });

  it('drops a phone that stops reading once its buffer passes the cap; everyone else gets everything', async () => {
    const server = await start({ slowConsumerBytes: 256 * 1024, slowConsumerCheckMs: 20 });
    const healthy = await audience(server.url, 'slow-consumer-healthy');
    sockets.push(healthy.socket);
    const stalled = await RawClient.open(server, { auth: { role: 'audience', clientId: 'slow-consumer-stalled' } });
    const serverSide = server.io.of('/').sockets.get(stalled.socketId);
    if (!serverSide) throw new Error('no server-side socket for the stalled phone');
    const dropped = new Promise<string>((resolve) => serverSide.once('disconnect', resolve));
    // The phone stops reading: the kernel buffers fill, then the server's.
    (stalled.ws as unknown as { _socket: net.Socket })._socket.pause();

    let received = 0;
    healthy.socket.on('chat:message', () => received++);
    const text = 'x'.repeat(64 * 1024);
    let sent = 0;
    let gone = false;
    void dropped.then(() => (gone = true));
    // The room's own traffic is rate-limited per person, so the test drives broadcast volume directly.
    while (!gone && sent < 2000) {
      server.io.to(AUDIENCE_ROOM).emit('chat:message', { id: 1_000_000 + sent, authorId: 'load', name: 'Load', text, ts: sent });
      sent++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Terminated without a closing handshake: Socket.IO reports it as a transport failure.
    expect(['transport close', 'transport error']).toContain(await dropped);
    expect(server.slowConsumers.droppedCount).toBe(1);
    await until(() => received === sent);
    expect(healthy.socket.connected).toBe(true);
    stalled.close();
    await expectHarmless(server, async () => undefined);
  });
});
