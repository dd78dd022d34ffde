/**
 * The slide widgets' server side over real sockets and real HTTP: live polls
 * (validation, roles, one vote per person, durability) and the race (its
 * polling route, its pings, and byte counts checked against raw TCP).
 */
import net from 'node:net';
import path from 'node:path';
import { io as connectIo } from 'socket.io-client';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../demo-server/server.js';
import type { PollResults, RaceHello, RaceMessage } from '../src/shared/protocol.js';
import { enginePacketFrameBytes, parseWireBytes, RACE_NAMESPACE, WIRE_BYTES_HEADER } from '../src/shared/race.js';
import { audience, closeAll, nextEvents, presenter, serverFixture, tempDir, TEST_TOKEN, type TestClient } from './helpers.js';

const POLL = 'used-node';
/** slides/nodejs-websockets.md: the race is the tenth horizontal slide. */
const RACE_SLIDE = { h: 9, v: 0, f: -1 };

/** One HTTP/1.1 exchange on a raw TCP socket: exactly the bytes written and read. */
function rawGet(port: number, target: string): Promise<{ sent: number; received: Buffer }> {
  const request = `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: livedeck-test\r\nAccept: */*\r\nConnection: close\r\n\r\n`;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => resolve({ sent: Buffer.byteLength(request), received: Buffer.concat(chunks) }));
  });
}

/** The next `poll:results` that satisfies `test` (earlier, throttled broadcasts may still be on their way). */
function resultsWhere(socket: TestClient, test: (results: PollResults) => boolean): Promise<PollResults> {
  return new Promise((resolve) => {
    const listener = (results: PollResults) => {
      if (!test(results)) return;
      socket.off('poll:results', listener);
      resolve(results);
    };
    socket.on('poll:results', listener);
  });
}

function headerOf(response: Buffer, name: string): string | null {
  const head = response.toString('latin1').split('\r\n\r\n')[0] ?? '';
  const line = head.split('\r\n').find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

describe('live polls', () => {
  let server: LiveDeckServer;
  const { sockets, start } = serverFixture();

  beforeEach(async () => {
    server = await start();
  });

  it('lists the talk’s polls in the snapshot, with no votes yet', async () => {
    const phone = await audience(server.url, 'poll-snapshot-1');
    sockets.push(phone.socket);
    expect(phone.snapshot.polls).toEqual([{ poll: POLL, counts: [0, 0, 0], total: 0, closed: false, mine: null }]);
  });

  it.each([
    [{ poll: 'no-such-poll', option: 0 }, /no poll "no-such-poll"/],
    [{ poll: POLL, option: 3 }, /options 0–2/],
    [{ poll: POLL, option: -1 }, /option/],
    [{ poll: POLL, option: 1.5 }, /option/],
    [{ poll: 'Bad Id!', option: 0 }, /poll/],
    [{ poll: POLL }, /option/],
    [{ poll: POLL, option: 0, extra: 1 }, /extra|unrecognized/i],
  ])('refuses the vote %j as invalid', async (payload, message) => {
    const phone = await audience(server.url, 'poll-invalid-1');
    sockets.push(phone.socket);
    const reply = await phone.socket.emitWithAck('poll:vote', payload as never);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(message) } });
  });

  it('lets only the presenter reset or close a poll', async () => {
    const phone = await audience(server.url, 'poll-forbidden-1');
    sockets.push(phone.socket);
    expect(await phone.socket.emitWithAck('poll:reset', { poll: POLL })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await phone.socket.emitWithAck('poll:close', { poll: POLL, closed: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('counts one vote per clientId, across sockets; a new vote moves it', async () => {
    const [first, second, other, watcher] = await Promise.all([
      audience(server.url, 'same-person-01'),
      audience(server.url, 'same-person-01'),
      audience(server.url, 'other-person-1'),
      audience(server.url, 'poll-watcher-1'),
    ]);
    sockets.push(first.socket, second.socket, other.socket, watcher.socket);

    expect(await first.socket.emitWithAck('poll:vote', { poll: POLL, option: 0 })).toMatchObject({
      ok: true,
      mine: 0,
      results: { poll: POLL, counts: [1, 0, 0], total: 1, closed: false },
    });
    // The same person on a second phone (same clientId) moves the vote instead of adding one.
    expect(await second.socket.emitWithAck('poll:vote', { poll: POLL, option: 2 })).toMatchObject({ ok: true, results: { counts: [0, 0, 1], total: 1 } });
    expect(await second.socket.emitWithAck('poll:vote', { poll: POLL, option: 2 })).toMatchObject({ ok: true, results: { total: 1 } });
    const heard = resultsWhere(watcher.socket, (results) => results.total === 2);
    expect(await other.socket.emitWithAck('poll:vote', { poll: POLL, option: 2 })).toMatchObject({ ok: true, results: { counts: [0, 0, 2], total: 2 } });
    expect(await heard).toEqual({ poll: POLL, counts: [0, 0, 2], total: 2, closed: false, rev: expect.any(Number) });
  });

  it('closes (votes refused), reopens and resets a poll for everyone', async () => {
    const boss = await presenter(server.url);
    const phone = await audience(server.url, 'poll-closing-1');
    sockets.push(boss.socket, phone.socket);
    await phone.socket.emitWithAck('poll:vote', { poll: POLL, option: 1 });

    const closedNews = resultsWhere(phone.socket, (results) => results.closed);
    expect(await boss.socket.emitWithAck('poll:close', { poll: POLL, closed: true })).toMatchObject({ ok: true, results: { closed: true, total: 1 } });
    expect(await closedNews).toMatchObject({ closed: true, total: 1 });
    expect(await phone.socket.emitWithAck('poll:vote', { poll: POLL, option: 0 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    expect(await boss.socket.emitWithAck('poll:close', { poll: POLL, closed: false })).toMatchObject({ ok: true, results: { closed: false } });
    expect(await boss.socket.emitWithAck('poll:reset', { poll: POLL })).toMatchObject({ ok: true, results: { counts: [0, 0, 0], total: 0, closed: false } });
    const late = await audience(server.url, 'poll-closing-1');
    sockets.push(late.socket);
    expect(late.snapshot.polls[0]).toMatchObject({ total: 0, mine: null });
  });

  it('puts each poll and its outcome in the session export', async () => {
    const [first, second] = await Promise.all([audience(server.url, 'export-voter-1'), audience(server.url, 'export-voter-2')]);
    sockets.push(first.socket, second.socket);
    await first.socket.emitWithAck('poll:vote', { poll: POLL, option: 2 });
    await second.socket.emitWithAck('poll:vote', { poll: POLL, option: 2 });
    const auth = { headers: { Authorization: `Bearer ${TEST_TOKEN}` } };
    const json = await (await fetch(`${server.url}/api/presenter/sessions/${server.room.sessionId}/export.json`, auth)).json();
    expect(json.extras.polls).toEqual([
      {
        kind: 'poll',
        id: POLL,
        question: 'Have you used Node.js?',
        options: [
          { label: 'Yes, in production', votes: 0 },
          { label: 'Yes, for side projects', votes: 0 },
          { label: 'Not yet', votes: 2 },
        ],
        total: 2,
        closed: false,
      },
      { kind: 'words', id: 'node-word', question: 'One word for Node.js?', words: [], removed: [], total: 0, closed: false },
    ]);
    const markdown = await (await fetch(`${server.url}/api/presenter/sessions/${server.room.sessionId}/export.md`, auth)).text();
    expect(markdown).toContain('## Polls (2)');
    expect(markdown).toContain('- Not yet: 2');
  });

  it('keeps votes across a server restart on the same database', async () => {
    const dbFile = path.join(tempDir(), 'polls.db');
    const first = await start({ dbFile });
    const voters = await Promise.all([audience(first.url, 'durable-voter-1'), audience(first.url, 'durable-voter-2')]);
    await voters[0].socket.emitWithAck('poll:vote', { poll: POLL, option: 0 });
    await voters[1].socket.emitWithAck('poll:vote', { poll: POLL, option: 1 });
    closeAll(...voters.map((voter) => voter.socket));
    await first.close();

    const second = await start({ dbFile });
    const back = await audience(second.url, 'durable-voter-1');
    sockets.push(back.socket);
    expect(back.snapshot.polls).toEqual([{ poll: POLL, counts: [1, 1, 0], total: 2, closed: false, mine: 0 }]);
  });
});

describe('the race', () => {
  let server: LiveDeckServer;
  const { sockets, start } = serverFixture();

  beforeEach(async () => {
    server = await start();
  });

  async function onRaceSlide(): Promise<TestClient> {
    const boss = await presenter(server.url);
    sockets.push(boss.socket);
    await boss.socket.emitWithAck('slide:set', RACE_SLIDE);
    return boss.socket;
  }

  it('answers /api/poll with 204 and no body while nothing is new, then the messages after `since`', async () => {
    const idle = await fetch(`${server.url}/api/poll?since=0`);
    expect(idle.status).toBe(204);
    expect(await idle.text()).toBe('');
    expect(parseWireBytes(idle.headers.get(WIRE_BYTES_HEADER))).not.toBeNull();

    await onRaceSlide();
    const phone = await audience(server.url, 'race-pinger-01', 'Ada');
    sockets.push(phone.socket);
    const pings: RaceMessage[] = [];
    for (let index = 0; index < 3; index++) {
      const reply = await phone.socket.emitWithAck('race:ping', {});
      if (!reply.ok) throw new Error(reply.error.message);
      pings.push(reply.message);
    }
    expect(pings.map((ping) => ping.name)).toEqual(['Ada', 'Ada', 'Ada']);

    const since = await fetch(`${server.url}/api/poll?since=${pings[0]!.id}`);
    expect(since.status).toBe(200);
    expect(await since.json()).toEqual({ messages: pings.slice(1) });
    expect((await fetch(`${server.url}/api/poll?since=${pings[2]!.id}`)).status).toBe(204);
    expect(await (await fetch(`${server.url}/api/race/messages`)).json()).toEqual({ messages: pings });
  });

  it.each(['', '?since=', '?since=-1', '?since=1.5', '?since=abc', '?since=1&since=2', '?since=99999999999999999'])(
    'answers /api/poll%s with 400 and a message',
    async (query) => {
      const response = await fetch(`${server.url}/api/poll${query}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid', message: expect.stringMatching(/since/) } });
    },
  );

  it('takes pings only while the race is on screen, rate-limited, and pushes them on /race', async () => {
    const phone = await audience(server.url, 'race-pinger-02');
    sockets.push(phone.socket);
    expect(await phone.socket.emitWithAck('race:ping', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await phone.socket.emitWithAck('race:ping', { text: 'x' } as never)).toMatchObject({ ok: false, error: { code: 'invalid' } });

    await onRaceSlide();
    const push = connectIo(`${server.url}${RACE_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(push as TestClient);
    await nextEvents(push as TestClient, 'race:hello');
    const pushed = nextEvents(push as TestClient, 'race:message', 5);
    // A fresh person: the refused ping above already spent one of the first phone's points.
    const pinger = await audience(server.url, 'race-pinger-05');
    sockets.push(pinger.socket);
    const replies = [];
    for (let index = 0; index < 6; index++) replies.push(await pinger.socket.emitWithAck('race:ping', {}));
    expect(replies.slice(0, 5).every((reply) => reply.ok)).toBe(true);
    expect(replies[5]).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect((await pushed).map((message) => message.id)).toEqual(replies.slice(0, 5).map((reply) => (reply.ok ? reply.message.id : 0)));
  });

  it.each(['/api/poll?since=0', '/api/race/messages', '/api/poll?since=x'])(
    'reports in X-Wire-Bytes exactly the bytes a raw socket exchanged for GET %s',
    async (target) => {
      if (target === '/api/race/messages') {
        await onRaceSlide();
        const phone = await audience(server.url, 'race-pinger-03', 'Grace');
        sockets.push(phone.socket);
        await phone.socket.emitWithAck('race:ping', {});
      }
      const { sent, received } = await rawGet(server.port, target);
      expect(parseWireBytes(headerOf(received, WIRE_BYTES_HEADER))).toEqual({ request: sent, response: received.length });
    },
  );

  it('tells the push pane its handshake bytes; with its frames they add up to what the server socket carried', async () => {
    await onRaceSlide();
    let serverSocket: net.Socket | undefined;
    server.io.httpServer.once('upgrade', (_request, socket: net.Socket) => (serverSocket = socket));
    const push = connectIo(`${server.url}${RACE_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false }) as TestClient;
    sockets.push(push);
    const frames = { sent: 0, received: 0 };
    const engine = push.io.engine;
    engine.on('packet', (packet) => (frames.received += enginePacketFrameBytes(packet, false)));
    engine.on('packetCreate', (packet) => (frames.sent += enginePacketFrameBytes(packet, true)));

    const [hello] = (await nextEvents(push, 'race:hello')) as [RaceHello];
    const phone = await audience(server.url, 'race-pinger-04');
    sockets.push(phone.socket);
    const pushed = nextEvents(push, 'race:message');
    await phone.socket.emitWithAck('race:ping', {});
    await pushed;

    expect(serverSocket).toBeDefined();
    expect(serverSocket!.bytesRead).toBe(hello.handshake.request + frames.sent);
    expect(serverSocket!.bytesWritten).toBe(hello.handshake.response + frames.received);
  });
});
