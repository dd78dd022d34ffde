/**
 * Hostile room, round two, items 13 and 14: one client made 2,600
 * `/api/poll` requests a second, one socket sent 9,000 invalid events a
 * second, and 1,500 slow-loris connections dripping headers stayed open for
 * 75 s. Now plain HTTP is limited per address (the race widget's polling
 * pane still passes), a socket that keeps sending refused events is
 * disconnected, headers and requests have LAN-sized timeouts, and the
 * half-open connections of one address are bounded.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { REFUSALS_BEFORE_DISCONNECT } from '../../demo-server/realtime/handler.js';
import { serverFixture, TEST_TOKEN } from '../helpers.js';
import { expectJsonError, expectStillServes, RawClient, request } from './harness.js';

describe('hostile room, round two: floods and slow clients', () => {
  const { start } = serverFixture();
  const raw: Array<{ destroy: () => void }> = [];
  afterEach(async () => {
    for (const connection of raw.splice(0)) connection.destroy();
  });

  it('lets the race pane poll ten times a second, and answers a flood from one address with 429', async () => {
    const server = await start();
    // Fifteen seconds of one projector's polling pane, as fast as it can go: well inside the budget.
    for (let n = 0; n < 150; n++) expect([200, 204]).toContain((await request(server, '/api/poll?since=0')).status);

    const flooded = await start({ httpRequestsPerIp: 50 });
    const answers = await Promise.all(Array.from({ length: 80 }, () => request(flooded, '/api/poll?since=0')));
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused).toHaveLength(30);
    expectJsonError(refused[0]!, 429, 'rate_limited');
    expect(Number(refused[0]!.headers['retry-after'])).toBeGreaterThan(0);
    // The presenter, on the same address, still gets in.
    expect((await request(flooded, '/api/presenter/notes', { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })).status).toBe(200);
    expect((await request(flooded, '/api/talk')).status).toBe(429);
  });

  it('disconnects a socket that keeps sending refused events; everyone else is served', async () => {
    const server = await start();
    const flooder = await RawClient.open(server, { auth: { role: 'audience', clientId: 'refused-flooder-1' } });
    raw.push({ destroy: () => flooder.close() });
    for (let n = 0; n < REFUSALS_BEFORE_DISCONNECT + 50; n++) flooder.send(`42["reaction:send",{"emoji":"nope-${n}"}]`);
    const closed = await flooder.closed;
    expect(closed.code).toBeGreaterThan(0);
    await expectStillServes(server);
  });

  it('closes connections dripping their headers: the oldest past the per-address bound at once, the rest at the headers timeout', async () => {
    const server = await start({ maxPendingConnectionsPerIp: 10, headersTimeoutMs: 1000 });
    const drips = await Promise.all(
      Array.from(
        { length: 30 },
        () =>
          new Promise<{ socket: net.Socket; closed: Promise<void> }>((resolve) => {
            const socket = net.connect(server.port, '127.0.0.1', () => {
              socket.write('GET /api/talk HTTP/1.1\r\nHost: 127.0.0.1\r\n');
              resolve({ socket, closed });
            });
            socket.on('error', () => undefined);
            const closed = new Promise<void>((done) => socket.once('close', () => done()));
            raw.push(socket);
          }),
      ),
    );
    const drip = setInterval(() => {
      for (const { socket } of drips) if (!socket.destroyed) socket.write('X-Slow: 1\r\n');
    }, 100);
    try {
      // A real request on the same address gets through meanwhile.
      expect((await request(server, '/api/talk')).status).toBe(200);
      await Promise.all(drips.map(({ closed }) => closed));
      await expectStillServes(server);
    } finally {
      clearInterval(drip);
    }
  });
});
