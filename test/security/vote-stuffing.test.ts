/**
 * Hostile room, round two, item 2: one address invented 330 identities and
 * put 299 votes on a question and 250 on a poll option. The per-minute
 * budget for new identities bounded the speed, not the total; now the
 * identities one address votes with in a session are bounded too
 * (LIVEDECK_MAX_IDENTITIES_PER_IP), and the votes of the rest are refused.
 */
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../../demo-server/server.js';
import type { UnusualVotes } from '../../src/shared/protocol.js';
import { connectClient, presenter, serverFixture, TEST_TOKEN, type TestClient } from '../helpers.js';

describe('hostile room, round two: vote stuffing with invented identities', () => {
  const { sockets, start } = serverFixture();

  const phone = async (server: LiveDeckServer, clientId: string, address: string): Promise<TestClient> => {
    const { socket } = await connectClient(server.url, { role: 'audience', clientId }, { address });
    sockets.push(socket);
    return socket;
  };

  it('counts the votes of the first identities an address brings into the session, and refuses the rest', async () => {
    const server = await start({ trustProxy: true, maxIdentitiesPerIp: 5 });
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

  it('shows the presenter a question or poll where one address holds an unusual share of the votes, and not a venue NAT', async () => {
    const server = await start({ trustProxy: true });
    const poll = [...server.room.polls.definitions.keys()][0]!;
    const presenterScreen: TestClient = io(server.url, {
      auth: { role: 'presenter', token: TEST_TOKEN },
      extraHeaders: { 'X-Forwarded-For': '10.9.9.9' },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(presenterScreen);
    const flagged: UnusualVotes[][] = [];
    presenterScreen.on('votes:unusual', ({ targets }) => flagged.push(targets));
    await new Promise((resolve) => presenterScreen.once('snapshot', resolve));

    // A room of ten phones on ten networks; a question two of them asked.
    const room = await Promise.all(Array.from({ length: 10 }, (_, n) => phone(server, `share-room-${String(n).padStart(4, '0')}`, `10.3.0.${n + 1}`)));
    const fair = await room[0]!.emitWithAck('question:ask', { text: 'Fair question' });
    const tilted = await room[1]!.emitWithAck('question:ask', { text: 'Tilted question' });
    if (!fair.ok || !tilted.ok) throw new Error('ask failed');
    for (const socket of room.slice(2, 8)) expect(await socket.emitWithAck('question:vote', { id: fair.question.id, up: true })).toMatchObject({ ok: true });
    // One address brings 6 identities (of 16 phones) and votes the other question and the poll.
    const script = await Promise.all(Array.from({ length: 6 }, (_, n) => phone(server, `share-script-${String(n).padStart(4, '0')}`, '10.6.6.6')));
    for (const socket of script) {
      expect(await socket.emitWithAck('question:vote', { id: tilted.question.id, up: true })).toMatchObject({ ok: true });
      expect(await socket.emitWithAck('poll:vote', { poll, option: 1 })).toMatchObject({ ok: true });
    }
    expect(await room[2]!.emitWithAck('question:vote', { id: tilted.question.id, up: true })).toMatchObject({ ok: true });

    await expect
      .poll(() =>
        flagged
          .at(-1)
          ?.map((target) => `${target.kind}:${target.id}`)
          .sort(),
      )
      .toEqual([`poll:${poll}`, `question:${tilted.question.id}`].sort());
    expect(flagged.at(-1)!.find((target) => target.kind === 'question')).toEqual({
      kind: 'question',
      id: String(tilted.question.id),
      fromOneAddress: 6,
      total: 7,
      addresses: 2,
    });
    // A console opened now has it in its snapshot.
    const late = await presenter(server.url);
    sockets.push(late.socket);
    expect(late.snapshot.unusualVotes?.map((target) => target.id).sort()).toEqual([poll, String(tilted.question.id)].sort());

    // Taking votes back clears the flag.
    for (const socket of script.slice(0, 3)) await socket.emitWithAck('question:vote', { id: tilted.question.id, up: false });
    await expect.poll(() => flagged.at(-1)?.map((target) => target.kind)).toEqual(['poll']);
  });

  it('does not flag a venue NAT that carries the whole room', async () => {
    const server = await start({ trustProxy: true });
    const room = await Promise.all(Array.from({ length: 8 }, (_, n) => phone(server, `share-nat-${String(n).padStart(4, '0')}`, '10.7.7.7')));
    const asked = await room[0]!.emitWithAck('question:ask', { text: 'Everyone likes this' });
    if (!asked.ok) throw new Error('ask failed');
    for (const socket of room.slice(1)) expect(await socket.emitWithAck('question:vote', { id: asked.question.id, up: true })).toMatchObject({ ok: true });
    const boss = await presenter(server.url);
    sockets.push(boss.socket);
    expect(boss.snapshot.unusualVotes).toEqual([]);
  });
});
