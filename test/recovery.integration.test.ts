import path from 'node:path';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, Snapshot } from '../src/shared/protocol.js';
import { unpackBatches } from '../src/lib/room-batch.js';
import { audience, presenter, serverFixture, tempDir, until, type TestClient } from './helpers.js';

/** A phone as the real page behaves: reconnects by itself and reports the last message it holds. */
function phone(url: string, clientId: string) {
  const held: ChatMessage[] = [];
  const snapshots: Snapshot[] = [];
  const socket: TestClient = io(url, {
    auth: (callback) => callback({ role: 'audience', clientId, ...(held.length ? { lastChatId: held.at(-1)!.id } : {}) }),
    transports: ['websocket'],
    reconnectionDelay: 100,
    reconnectionDelayMax: 200,
    forceNew: true,
  });
  const add = (message: ChatMessage) => {
    if (!held.some((known) => known.id === message.id)) held.push(message);
    held.sort((a, b) => a.id - b.id);
  };
  const events: ChatMessage[] = [];
  unpackBatches(socket);
  socket.on('chat:message', (message) => {
    events.push(message);
    add(message);
  });
  socket.on('snapshot', (snapshot) => {
    snapshots.push(snapshot);
    snapshot.chat.forEach(add);
  });
  const connected = new Promise<void>((resolve) => socket.once('snapshot', () => resolve()));
  return { socket, held, events, snapshots, connected };
}

describe('recovery', () => {
  const { sockets, start } = serverFixture();

  it('replays what a phone missed during a short drop, in order, without duplicates', async () => {
    const server = await start();
    const dropped = phone(server.url, 'tunnel-phone-01');
    sockets.push(dropped.socket);
    await dropped.connected;
    const sender = await audience(server.url, 'sender-tunnel-1');
    sockets.push(sender.socket);
    await sender.socket.emitWithAck('chat:send', { text: 'before' });
    await until(() => dropped.held.length === 1, 'first message');

    const reconnected = new Promise<boolean>((resolve) => dropped.socket.once('connect', () => resolve(dropped.socket.recovered)));
    dropped.socket.io.engine.close(); // the tunnel: the transport dies, the client will reconnect
    for (const text of ['in the tunnel 1', 'in the tunnel 2', 'in the tunnel 3']) await sender.socket.emitWithAck('chat:send', { text });
    expect(await reconnected).toBe(true); // Socket.IO connection state recovery
    await until(() => dropped.held.length === 4, 'missed messages');
    expect(dropped.held.map((message) => message.text)).toEqual(['before', 'in the tunnel 1', 'in the tunnel 2', 'in the tunnel 3']);
    expect(dropped.events.map((message) => message.id)).toEqual([...new Set(dropped.events.map((message) => message.id))]);
  });

  it('after a server restart, resyncs by last-seen id and lands on the current slide', async () => {
    const dbFile = path.join(tempDir(), 'resync.db');
    const first = await start({ dbFile });
    const watcher = phone(first.url, 'restart-phone-1');
    sockets.push(watcher.socket);
    await watcher.connected;
    const sender = await audience(first.url, 'sender-restart1');
    await sender.socket.emitWithAck('chat:send', { text: 'one' });
    await until(() => watcher.held.length === 1, 'first message');
    sender.socket.close();
    const boss = await presenter(first.url);
    await boss.socket.emitWithAck('slide:set', { h: 2, v: 0, f: -1 });
    boss.socket.close();
    const port = first.port;
    await first.close();

    // While the server is down, nothing arrives; the new process comes back on the same port.
    const second = await start({ dbFile, port });
    // The phone comes back by itself before anything new is said, then hears the rest live.
    await until(() => watcher.snapshots.length === 2, 'reconnection after restart', 15_000);
    const texts = Array.from({ length: 3 }, (_, index) => `after restart ${index}`);
    const writers = await Promise.all(texts.map((_, index) => audience(second.url, `writer-restart-${index}`)));
    writers.forEach((writer) => sockets.push(writer.socket));
    await Promise.all(writers.map((writer, index) => writer.socket.emitWithAck('chat:send', { text: texts[index]! })));

    await until(() => watcher.held.length === 4, 'messages after restart');
    expect(watcher.held[0]!.text).toBe('one');
    expect(new Set(watcher.held.map((message) => message.id)).size).toBe(4);
    // Its snapshot carried only what it missed (nothing), not the 100 newest again, and the current slide.
    expect(watcher.snapshots[1]!.chat).toEqual([]);
    expect(watcher.snapshots[1]!.slide).toMatchObject({ h: 2, v: 0 });
  });

  it('a phone that missed messages while the server was down gets exactly those', async () => {
    const dbFile = path.join(tempDir(), 'missed.db');
    const first = await start({ dbFile });
    const sender = await audience(first.url, 'missed-sender-1');
    await sender.socket.emitWithAck('chat:send', { text: 'seen' });
    const watcher = phone(first.url, 'missed-phone-01');
    sockets.push(watcher.socket);
    await watcher.connected;
    expect(watcher.held.map((message) => message.text)).toEqual(['seen']);
    watcher.socket.io.reconnection(false);
    watcher.socket.disconnect();
    for (const text of ['missed 1', 'missed 2']) await sender.socket.emitWithAck('chat:send', { text });
    sender.socket.close();
    const port = first.port;
    await first.close();

    await start({ dbFile, port });
    const back = new Promise<Snapshot>((resolve) => watcher.socket.once('snapshot', resolve));
    watcher.socket.connect();
    const snapshot = await back;
    expect(snapshot.chat.map((message) => message.text)).toEqual(['missed 1', 'missed 2']);
    expect(watcher.held.map((message) => message.text)).toEqual(['seen', 'missed 1', 'missed 2']);
  });
});
