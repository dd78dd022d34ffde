/**
 * Hostile room, round two, item 2: one address invented 330 identities and
 * put 299 votes on a question and 250 on a poll option. The per-minute
 * budget for new identities bounded the speed, not the total; now the
 * identities one address votes with in a session are bounded too
 * (LIVEDECK_MAX_IDENTITIES_PER_IP), and the votes of the rest are refused.
 */
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../../demo-server/server.js';
import { closeAll, startServer, type TestClient } from '../helpers.js';

describe('hostile room, round two: vote stuffing with invented identities', () => {
  const sockets: TestClient[] = [];
  const servers: LiveDeckServer[] = [];
  afterEach(async () => {
    closeAll(...sockets.splice(0));
    for (const server of servers.splice(0)) await server.close();
  });

  const phone = (server: LiveDeckServer, clientId: string, address: string) =>
    new Promise<TestClient>((resolve, reject) => {
      const socket: TestClient = io(server.url, {
        auth: { role: 'audience', clientId },
        extraHeaders: { 'X-Forwarded-For': address },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      socket.once('snapshot', () => resolve(socket));
      socket.once('connect_error', reject);
    });

  it('counts the votes of the first identities an address brings into the session, and refuses the rest', async () => {
    const server = await startServer({ trustProxy: true, maxIdentitiesPerIp: 5 });
    servers.push(server);
    const poll = [...server.room.polls.definitions.keys()][0]!;
    const asker = await phone(server, 'stuffing-asker-01', '10.1.0.1');
    const asked = await asker.emitWithAck('question:ask', { text: 'Which one?' });
    if (!asked.ok) throw new Error('ask failed');

    const invented = await Promise.all(Array.from({ length: 12 }, (_, n) => phone(server, `stuffer-${String(n).padStart(4, '0')}`, '10.6.6.6')));
    const votes = await Promise.all(invented.map((socket) => socket.emitWithAck('question:vote', { id: asked.question.id, up: true })));
    const polled = await Promise.all(invented.map((socket) => socket.emitWithAck('poll:vote', { poll, option: 0 })));
    expect(votes.filter((reply) => reply.ok)).toHaveLength(5);
    expect(polled.filter((reply) => reply.ok)).toHaveLength(5);
    for (const reply of [...votes, ...polled].filter((reply) => !reply.ok)) expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Reconnecting does not buy a new identity its votes back.
    const again = await phone(server, 'stuffer-0011', '10.6.6.6');
    expect(await again.emitWithAck('question:vote', { id: asked.question.id, up: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // Someone on another network still counts.
    const honest = await phone(server, 'honest-voter-01', '10.2.0.2');
    expect(await honest.emitWithAck('question:vote', { id: asked.question.id, up: true })).toMatchObject({ ok: true });
    const [stored] = await server.room.storage.listQuestions(server.room.sessionId);
    expect(stored!.votes).toBe(1 + 5 + 1);
    const tally = (await server.room.storage.pollCounts(server.room.sessionId)).find((entry) => entry.poll === poll);
    expect(tally?.counts[0]).toBe(5);
  });
});
