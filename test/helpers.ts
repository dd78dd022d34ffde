/** Real servers on port 0 with a temp SQLite file, and real socket.io-client sockets. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents, Snapshot, SocketData } from '../src/shared/protocol.js';
import type { ServerOptions } from '../demo-server/options.js';
import { createServer, type LiveDeckServer } from '../demo-server/server.js';
import { unpackBatches } from '../src/lib/room-batch.js';
import { launchBrowser } from './browser.js';

export const TEST_TOKEN = 'test-presenter-token-0123456789';
export type TestClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'livedeck-test-'));
}

export async function startServer(overrides: Partial<ServerOptions> = {}): Promise<LiveDeckServer> {
  return createServer({
    port: 0,
    host: '127.0.0.1',
    dbFile: path.join(tempDir(), 'livedeck.db'),
    presenterToken: TEST_TOKEN,
    logLevel: 'silent',
    ...overrides,
  });
}

/**
 * The setup every describe block of servers and sockets shares: servers it
 * starts (port 0, temp SQLite) and sockets pushed to `sockets` are closed
 * after each test, whatever the test did. Closing a server twice is fine.
 */
export function serverFixture(): { sockets: TestClient[]; start(overrides?: Partial<ServerOptions>): Promise<LiveDeckServer> } {
  const servers: LiveDeckServer[] = [];
  const sockets: TestClient[] = [];
  afterEach(async () => {
    closeAll(...sockets.splice(0));
    for (const server of servers.splice(0)) await server.close();
  });
  return {
    sockets,
    async start(overrides = {}) {
      const server = await startServer(overrides);
      servers.push(server);
      return server;
    },
  };
}

/** A describe block's server and browser (browserFixture), there from its first beforeAll on. */
export interface BrowserFixture {
  readonly server: LiveDeckServer;
  readonly browser: Browser;
  /** Closed with the server, after the block's last test. */
  readonly sockets: TestClient[];
}

/**
 * The setup every browser test file shares: one server (port 0, temp
 * SQLite) and one Chromium for the whole describe block, started before its
 * own beforeAll hooks run (declare the fixture first) and closed after its
 * last test with the sockets pushed to `sockets`. `options` may be a
 * function, for a talk file a beforeAll writes first.
 */
export function browserFixture(options: Partial<ServerOptions> | (() => Partial<ServerOptions>) = {}): BrowserFixture {
  let server: LiveDeckServer | undefined;
  let browser: Browser | undefined;
  const sockets: TestClient[] = [];
  beforeAll(async () => {
    server = await startServer(typeof options === 'function' ? options() : options);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    closeAll(...sockets.splice(0));
    await browser?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} starts in beforeAll: use it inside a hook or a test`);
    return value;
  };
  return {
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    sockets,
  };
}

export interface Connected {
  socket: TestClient;
  snapshot: Snapshot;
}

/**
 * Connects and resolves with the first snapshot; rejects on connect_error.
 * `address`: the client address a trusted proxy reports (X-Forwarded-For), for servers started with trustProxy.
 */
export function connectClient(
  url: string,
  auth: HandshakeAuth | Record<string, unknown>,
  extra: { reconnection?: boolean; address?: string } = {},
): Promise<Connected> {
  const socket: TestClient = io(url, {
    auth: auth as HandshakeAuth,
    ...(extra.address ? { extraHeaders: { 'X-Forwarded-For': extra.address } } : {}),
    transports: ['websocket'],
    reconnection: extra.reconnection ?? false,
    forceNew: true,
  });
  // As every page does (src/lib/socket.ts): a phone's batches reach the listeners of the events they carry.
  unpackBatches(socket);
  return new Promise((resolve, reject) => {
    socket.once('snapshot', (snapshot) => resolve({ socket, snapshot }));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/**
 * A socket not connected yet, for a test that attaches a page's stores first (as the pages do): the test
 * pushes it to its sockets and calls `connect()`.
 */
export function unconnectedClient(url: string, auth: HandshakeAuth): TestClient {
  return io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false });
}

export const audience = (url: string, clientId?: string, name?: string) =>
  connectClient(url, { role: 'audience', ...(clientId ? { clientId } : {}), ...(name ? { name } : {}) });
export const presenter = (url: string) => connectClient(url, { role: 'presenter', token: TEST_TOKEN });

/** Resolves with the next `count` payloads of an event. */
export function nextEvents<E extends keyof ServerToClientEvents>(
  socket: TestClient,
  event: E,
  count = 1,
  timeoutMs = 5000,
): Promise<Array<Parameters<ServerToClientEvents[E]>[0]>> {
  return new Promise((resolve, reject) => {
    const received: Array<Parameters<ServerToClientEvents[E]>[0]> = [];
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`timed out waiting for ${count} × ${event} (got ${received.length})`));
    }, timeoutMs);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      received.push(payload);
      if (received.length === count) {
        clearTimeout(timer);
        socket.off(event, listener as never);
        resolve(received);
      }
    };
    socket.on(event, listener as never);
  });
}

/** Resolves with the first payload of an event that matches. */
export function waitForEvent<E extends keyof ServerToClientEvents>(
  socket: TestClient,
  event: E,
  matches: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`timed out waiting for a matching ${event}`));
    }, timeoutMs);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!matches(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    socket.on(event, listener as never);
  });
}

/**
 * Records every payload of an event from now on. To show that something was
 * NOT broadcast, record before the action, then wait for a later event the
 * same socket must receive after it (one connection delivers in order), and
 * look at what was recorded: no fixed window that a slow machine could miss.
 */
export function recordEvents<E extends keyof ServerToClientEvents>(
  socket: TestClient,
  event: E,
): { received: Array<Parameters<ServerToClientEvents[E]>[0]>; stop(): void } {
  const received: Array<Parameters<ServerToClientEvents[E]>[0]> = [];
  const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => received.push(payload);
  socket.on(event, listener as never);
  return { received, stop: () => socket.off(event, listener as never) };
}

/** Polls until the condition holds: for state that changes in the background (a reconnect, a close being processed), never a fixed sleep. */
export async function until(condition: () => boolean | Promise<boolean>, what = 'the condition', timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The next snapshot the server reads for a screen `matches` picks waits, once
 * read, for `meanwhile` before it goes out: what happens meanwhile is newer
 * than the snapshot. `raced` settles when it has.
 */
export function holdNextSnapshot(server: LiveDeckServer, matches: (data: SocketData) => boolean, meanwhile: () => Promise<unknown>): { raced: Promise<void> } {
  const read = server.room.snapshotFor.bind(server.room);
  let done: () => void = () => {};
  const raced = new Promise<void>((resolve) => (done = resolve));
  let held = false;
  server.room.snapshotFor = async (data: SocketData) => {
    const snapshot = await read(data);
    if (matches(data) && !held) {
      held = true;
      await meanwhile();
      done();
    }
    return snapshot;
  };
  return { raced };
}

/** What the cluster adapter hands each process: a broadcast's packet, or a server-side event's (`peer:control`). */
export interface RelayedMessage {
  data?: { packet?: unknown };
}
type Deliver = (message: RelayedMessage, offset?: string) => unknown;

/**
 * Holds back what `server` hears from the other processes through the
 * adapter (broadcasts for its screens, server-side events such as
 * `peer:control`) while `holds` says so, and delivers it all, in order, on
 * release: the relay from another process, as slow as the test needs.
 */
export function holdRelay(server: LiveDeckServer, holds: (message: RelayedMessage) => boolean) {
  const adapter = server.io.of('/').adapter as unknown as { onMessage: Deliver };
  const deliver: Deliver = adapter.onMessage.bind(adapter);
  const held: Array<Parameters<Deliver>> = [];
  adapter.onMessage = (message, offset) => (holds(message) ? void held.push([message, offset]) : deliver(message, offset));
  return {
    held: () => held.length,
    /** Whether a message held back so far matches. */
    holds: (matches: (message: RelayedMessage) => boolean) => held.some(([message]) => matches(message)),
    release() {
      adapter.onMessage = deliver;
      for (const [message, offset] of held.splice(0)) deliver(message, offset);
    },
  };
}

export function closeAll(...sockets: TestClient[]): void {
  for (const socket of sockets) socket.close();
}
