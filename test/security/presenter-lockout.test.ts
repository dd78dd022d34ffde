/**
 * Hostile room, round two, item 1: nobody on the presenter's address (a
 * venue NAT shares one) can lock the presenter out. Wrong guesses are slowed
 * and then refused at once, but the right token always gets in, on HTTP and
 * on sockets, and a presenter screen proving its token in the handshake gets
 * in even when the address holds every connection it may.
 */
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { audience, connectClient, presenter, serverFixture, TEST_TOKEN, type TestClient } from '../helpers.js';
import { expectJsonError, request } from './harness.js';

describe('hostile room, round two: presenter lockout', () => {
  const { sockets, start } = serverFixture();

  it('lets the right token in after the address used up its wrong guesses, on HTTP and sockets', async () => {
    // The real lockout rules, without the growing delay between guesses.
    const server = await start({ presenterLockout: { attempts: 10, windowSeconds: 600, blockSeconds: 900, delayMs: 0 } });
    const guess = (n: number) => request(server, '/api/presenter/sessions', { headers: { Authorization: `Bearer wrong-guess-${n}` } });
    for (let n = 0; n < 10; n++) expectJsonError(await guess(n), 401, 'forbidden');
    // The eleventh blocks the address's guesses for 15 minutes…
    const blocked = await guess(10);
    expectJsonError(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    await expect(connectClient(server.url, { role: 'presenter', token: 'wrong-guess-11' })).rejects.toMatchObject({ data: { code: 'rate_limited' } });

    // …but the presenter, reloading from the same address, is not refused.
    const sessions = await request(server, '/api/presenter/sessions', { headers: { Authorization: `Bearer ${TEST_TOKEN}` } });
    expect(sessions.status).toBe(200);
    expect((await request(server, '/api/presenter/notes', { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })).status).toBe(200);
    const boss = await presenter(server.url);
    sockets.push(boss.socket);
    expect(boss.snapshot.role).toBe('presenter');
    expect(await boss.socket.emitWithAck('slide:set', { h: 1, v: 0, f: -1 })).toMatchObject({ ok: true });
    // And the block still holds for guesses.
    expectJsonError(await guess(12), 429, 'rate_limited');
  });

  it('lets a presenter screen that proves its token in the handshake past a full per-address connection cap', async () => {
    const server = await start({ maxConnectionsPerIp: 3 });
    for (let n = 0; n < 3; n++) sockets.push((await audience(server.url, `cap-filler-${n}-000`)).socket);
    await expect(audience(server.url, 'cap-filler-3-000')).rejects.toThrow();

    const withHeader = (token: string): Promise<TestClient> => {
      const socket: TestClient = io(server.url, {
        auth: { role: 'presenter', token },
        extraHeaders: { Authorization: `Bearer ${token}` },
        transports: ['polling', 'websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      return new Promise((resolve, reject) => {
        socket.once('snapshot', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    };
    await expect(withHeader('not-the-presenter-token-00')).rejects.toThrow();
    const boss = await withHeader(TEST_TOKEN);
    expect(await boss.emitWithAck('slide:set', { h: 2, v: 0, f: -1 })).toMatchObject({ ok: true });
    // The cap still holds for everyone else.
    await expect(audience(server.url, 'cap-filler-4-000')).rejects.toThrow();
  });
});
