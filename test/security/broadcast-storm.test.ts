/**
 * Hostile room, round two, item 3: what one phone does must not multiply
 * into what every phone receives. 25 identities toggling their vote on one
 * long question made 74 `question:updated` a second to every phone; now a
 * question's updates are coalesced (one per QUESTION_BROADCAST_MS at most),
 * and events that every phone hears about (chat lines, new questions, race
 * pings) have a room-wide budget however many identities and addresses
 * send them.
 */
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { QUESTION_BROADCAST_MS } from '../../demo-server/realtime/question-broadcasts.js';
import { RATE_LIMITS } from '../../demo-server/realtime/rate-limits.js';
import { QUESTION_TEXT_MAX } from '../../src/shared/limits.js';
import type { Question } from '../../src/shared/protocol.js';
import { audience, serverFixture, type TestClient } from '../helpers.js';

describe('hostile room, round two: broadcast amplification', () => {
  const { sockets, start } = serverFixture();

  it('coalesces a vote storm from 25 identities into at most one question:updated per window', async () => {
    const server = await start();
    const asker = await audience(server.url, 'storm-asker-0001');
    const listener = await audience(server.url, 'storm-listener-01');
    sockets.push(asker.socket, listener.socket);
    const asked = await asker.socket.emitWithAck('question:ask', { text: 'x'.repeat(QUESTION_TEXT_MAX) });
    if (!asked.ok) throw new Error('ask failed');
    const voters = await Promise.all(Array.from({ length: 25 }, (_, n) => audience(server.url, `storm-voter-${String(n).padStart(4, '0')}`)));
    sockets.push(...voters.map((voter) => voter.socket));

    let latest: Question | undefined;
    let updates = 0;
    listener.socket.on('question:updated', (question) => {
      updates++;
      latest = question;
    });
    const started = performance.now();
    // Each identity toggles its vote 20 times, as fast as the acks come back: 500 changes in all.
    await Promise.all(
      voters.map(async ({ socket }) => {
        for (let n = 0; n < 20; n++) {
          const reply = await socket.emitWithAck('question:vote', { id: asked.question.id, up: n % 2 === 0 });
          expect(reply.ok).toBe(true);
        }
      }),
    );
    const elapsed = performance.now() - started;
    // Every vote counted, and the phones end up with the final state…
    const stored = (await server.room.storage.listQuestions(server.room.sessionId))[0]!;
    expect(stored.votes).toBe(1);
    await expect.poll(() => latest?.votes, { timeout: 5000 }).toBe(stored.votes);
    // …from one broadcast per window at most (plus the one flushing the end), not one per vote.
    expect(updates).toBeLessThanOrEqual(Math.ceil(elapsed / QUESTION_BROADCAST_MS) + 2);
  });

  it('bounds the chat lines everyone receives by a room budget, however many addresses and identities send them', async () => {
    // Eight addresses (behind a proxy we trust), ten identities each, each sending its full personal budget.
    const server = await start({ trustProxy: true });
    const listener = await audience(server.url, 'room-listener-01');
    sockets.push(listener.socket);
    let lines = 0;
    listener.socket.on('chat:message', () => lines++);
    const phone = (address: number, n: number) =>
      new Promise<TestClient>((resolve, reject) => {
        const socket: TestClient = io(server.url, {
          auth: { role: 'audience', clientId: `room-${address}-${String(n).padStart(4, '0')}` },
          extraHeaders: { 'X-Forwarded-For': `10.0.0.${address + 1}` },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        });
        sockets.push(socket);
        socket.once('snapshot', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    const phones = await Promise.all(Array.from({ length: 80 }, (_, index) => phone(index % 8, index)));
    const perPerson = RATE_LIMITS['chat:send'].points;
    const replies = await Promise.all(
      phones.flatMap((socket, index) => Array.from({ length: perPerson }, (_, n) => socket.emitWithAck('chat:send', { text: `line ${index}.${n}` }))),
    );
    const accepted = replies.filter((reply) => reply.ok).length;
    const refused = replies.filter((reply) => !reply.ok);
    expect(replies).toHaveLength(400);
    expect(accepted).toBe(RATE_LIMITS['chat:send'].roomPoints);
    expect(refused.every((reply) => !reply.ok && reply.error.code === 'rate_limited' && reply.error.retryAfterMs! > 0)).toBe(true);
    await expect.poll(() => lines).toBe(accepted);
  });
});
