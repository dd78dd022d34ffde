/**
 * Hostile room, part 3: abuse. Connection caps, identity rotation, rate
 * limits across reconnects, origins (cross-site WebSocket hijacking and
 * forged POSTs), presenter-token brute force, and authorization checked
 * against current state on every event (bans, rotated tokens, restored
 * sockets). Each case asserts the refusal, unchanged stored state, and that
 * another client is still served.
 */
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../../demo-server/server.js';
import type { ClientToServerEvents } from '../../src/shared/protocol.js';
import { audience, connectClient, presenter, serverFixture, TEST_TOKEN, type TestClient, until, waitForEvent } from '../helpers.js';
import { expectHarmless, expectJsonError, RawClient, request } from './harness.js';

type Event = keyof ClientToServerEvents;

describe('hostile room: abuse', () => {
  const { sockets, start } = serverFixture();

  async function phone(server: LiveDeckServer, clientId?: string) {
    const connected = await audience(server.url, clientId);
    sockets.push(connected.socket);
    return connected;
  }

  async function boss(server: LiveDeckServer) {
    const connected = await presenter(server.url);
    sockets.push(connected.socket);
    return connected;
  }

  describe('connection caps', () => {
    it('refuses connections from one IP past maxConnectionsPerIp, and serves again once one closes', async () => {
      const server = await start({ maxConnectionsPerIp: 3 });
      const open = [await phone(server, 'cap-ip-1'), await phone(server, 'cap-ip-2'), await phone(server, 'cap-ip-3')];
      await expectHarmless(server, async () => {
        await expect(audience(server.url, 'cap-ip-4')).rejects.toThrow();
        // Long-polling handshakes meet the same cap, as a 403 with a JSON reason.
        const polling = await request(server, '/socket.io/?EIO=4&transport=polling');
        expect(polling.status).toBe(403);
        expect(JSON.parse(polling.body)).toMatchObject({ message: 'too many connections from your address' });
        open[0]!.socket.close();
        await until(() => server.caps.connectionsFrom('127.0.0.1') < 3);
      });
    });

    it('refuses connections past maxConnections in total', async () => {
      const server = await start({ maxConnections: 2 });
      const first = await phone(server, 'cap-total-1');
      await phone(server, 'cap-total-2');
      await expectHarmless(server, async () => {
        await expect(RawClient.open(server)).rejects.toThrow(/HTTP 400/);
        const polling = await request(server, '/socket.io/?EIO=4&transport=polling');
        expect(JSON.parse(polling.body)).toMatchObject({ message: 'the server is full' });
        first.socket.close();
        await until(() => server.caps.connections < 2);
      });
    });

    it('refuses new clientIds past newClientsPerIpPerMinute with rate_limited, while known ones reconnect freely', async () => {
      const server = await start({ newClientsPerIpPerMinute: 3 });
      for (const id of ['rotate-01', 'rotate-02', 'rotate-03']) (await phone(server, id)).socket.close();
      await expectHarmless(
        server,
        async () => {
          const refusal = audience(server.url, 'rotate-04');
          await expect(refusal).rejects.toMatchObject({ data: { code: 'rate_limited', retryAfterMs: expect.any(Number) } });
          // No clientId at all is a new identity too.
          await expect(connectClient(server.url, { role: 'audience' })).rejects.toMatchObject({ data: { code: 'rate_limited' } });
        },
        'rotate-02',
      );
    });
  });

  describe('rate limits that reconnecting does not reset', () => {
    it('keeps a per-person limit across a new socket with the same clientId', async () => {
      const server = await start();
      const first = await phone(server, 'limit-keeper');
      for (let n = 0; n < 5; n++) expect(await first.socket.emitWithAck('chat:send', { text: `message ${n}` })).toMatchObject({ ok: true });
      first.socket.close();
      const again = await phone(server, 'limit-keeper');
      await expectHarmless(server, async () => {
        expect(await again.socket.emitWithAck('chat:send', { text: 'one more' })).toMatchObject({
          ok: false,
          error: { code: 'rate_limited', retryAfterMs: expect.any(Number) },
        });
      });
    });

    it('counts one vote per clientId however many sockets cast it', async () => {
      const server = await start();
      const asker = await phone(server, 'vote-asker-1');
      const asked = await asker.socket.emitWithAck('question:ask', { text: 'Vote for me?' });
      if (!asked.ok) throw new Error('ask failed');
      const voter = await phone(server, 'vote-twice-1');
      expect(await voter.socket.emitWithAck('question:vote', { id: asked.question.id, up: true })).toMatchObject({ question: { votes: 2 } });
      voter.socket.close();
      const again = await phone(server, 'vote-twice-1');
      await expectHarmless(server, async () => {
        expect(await again.socket.emitWithAck('question:vote', { id: asked.question.id, up: true })).toMatchObject({ ok: true, question: { votes: 2 } });
      });
    });

    it('caps one IP at 25× the per-person budget however many clientIds it invents', async () => {
      const server = await start();
      // name:set allows 5 per person per 10 s, so 125 per address.
      for (let n = 0; n < 25; n++) {
        const rotated = await phone(server, `per-ip-rotation-${n}`);
        for (let k = 0; k < 5; k++) expect(await rotated.socket.emitWithAck('name:set', { name: `Bot ${n}` })).toMatchObject({ ok: true });
        rotated.socket.close();
      }
      const extra = await phone(server, 'per-ip-rotation-extra');
      await expectHarmless(server, async () => {
        expect(await extra.socket.emitWithAck('name:set', { name: 'One too many' })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      });
    });
  });

  describe('origins', () => {
    it('refuses a WebSocket handshake from a foreign Origin and accepts its own', async () => {
      const server = await start();
      await expectHarmless(server, async () => {
        await expect(RawClient.open(server, { origin: 'http://evil.example', auth: { role: 'audience' } })).rejects.toThrow(/HTTP 400/);
        const own = await RawClient.open(server, { origin: `http://127.0.0.1:${server.port}`, auth: { role: 'audience', clientId: 'same-origin-1' } });
        own.close();
      });
    });

    it.each(['http://evil.example', 'null', 'http://127.0.0.1:1', 'http://localhost.evil.example:3000'])(
      'refuses a long-polling handshake from Origin %s with 403',
      async (origin) => {
        const server = await start();
        await expectHarmless(server, async () => {
          const answer = await request(server, '/socket.io/?EIO=4&transport=polling', { headers: { Origin: origin } });
          expect(answer.status).toBe(403);
        });
      },
    );

    it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('refuses a cross-site %s with 403 JSON before any route runs', async (method) => {
      const server = await start();
      await expectHarmless(server, async () => {
        const forged = await request(server, '/api/poll', {
          method,
          headers: { Origin: 'http://evil.example', 'Content-Type': 'application/json' },
          body: '{}',
        });
        expectJsonError(forged, 403, 'forbidden');
        // The same request from the page's own origin reaches routing (and finds no such route).
        const own = await request(server, '/api/poll', { method, headers: { Origin: `http://127.0.0.1:${server.port}` }, body: '{}' });
        expectJsonError(own, 404, 'not_found');
      });
    });
  });

  describe('presenter token brute force', () => {
    const lockout = { attempts: 3, windowSeconds: 600, blockSeconds: 900, delayMs: 0 };

    it('refuses wrong tokens on the handshake, then blocks the address’s wrong tokens; the right token still gets in, socket and HTTP alike', async () => {
      const server = await start({ presenterLockout: lockout });
      await expectHarmless(server, async () => {
        for (let n = 0; n < 3; n++) {
          const attempt = connectClient(server.url, { role: 'presenter', token: `guess-${n}` });
          await expect(attempt).rejects.toMatchObject({ data: { code: 'forbidden' }, message: 'wrong presenter token' });
        }
        await expect(connectClient(server.url, { role: 'presenter', token: 'guess-4' })).rejects.toMatchObject({
          data: { code: 'rate_limited', retryAfterMs: expect.any(Number) },
        });
        const blocked = await request(server, '/api/presenter/notes', { headers: { Authorization: 'Bearer guess-5' } });
        expectJsonError(blocked, 429, 'rate_limited');
        expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
        const boss = await presenter(server.url);
        sockets.push(boss.socket);
        expect(boss.snapshot.role).toBe('presenter');
        expect((await request(server, '/api/presenter/notes', { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })).status).toBe(200);
      });
    });

    it('counts wrong Bearer tokens on HTTP routes towards the same lockout; a missing token is not a guess', async () => {
      const server = await start({ presenterLockout: lockout });
      await expectHarmless(server, async () => {
        for (let n = 0; n < 5; n++) expectJsonError(await request(server, '/api/presenter/notes'), 401, 'forbidden');
        expect((await request(server, '/api/presenter/notes', { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })).status).toBe(200);
        for (let n = 0; n < 3; n++) {
          const answer = await request(server, '/api/presenter/sessions', { headers: { Authorization: `Bearer leak-me-${n}` } });
          expectJsonError(answer, 401, 'forbidden');
          expect(answer.body).not.toContain('leak-me');
        }
        // The attempt past the allowance starts the block, for sockets too; the right token is never refused.
        expectJsonError(await request(server, '/api/presenter/sessions', { headers: { Authorization: 'Bearer leak-me-3' } }), 429, 'rate_limited');
        await expect(connectClient(server.url, { role: 'presenter', token: 'leak-me-4' })).rejects.toMatchObject({ data: { code: 'rate_limited' } });
        expect((await request(server, '/api/presenter/sessions', { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })).status).toBe(200);
      });
    });
  });

  describe('authorization against current state', () => {
    it('drops presenter screens holding a rotated token, refuses the old token, accepts the new one', async () => {
      const server = await start();
      const old = await boss(server);
      const dropped = new Promise<string>((resolve) => old.socket.once('disconnect', resolve));
      await expectHarmless(server, async () => {
        const url = server.rotatePresenterToken('rotated-token-0123456789');
        expect(url).toContain('#token=rotated-token-0123456789');
        expect(await dropped).toBe('io server disconnect');
        await expect(presenter(server.url)).rejects.toMatchObject({ data: { code: 'forbidden' } });
        const fresh = await connectClient(server.url, { role: 'presenter', token: 'rotated-token-0123456789' });
        sockets.push(fresh.socket);
        expect(fresh.snapshot.role).toBe('presenter');
      });
    });

    it('drops a presenter socket restored by connection state recovery after the token rotated', async () => {
      const server = await start();
      const socket: TestClient = io(server.url, {
        auth: { role: 'presenter', token: TEST_TOKEN },
        transports: ['websocket'],
        forceNew: true,
        reconnectionDelay: 50,
        reconnectionDelayMax: 50,
      });
      sockets.push(socket);
      await new Promise((resolve) => socket.once('snapshot', resolve));
      await expectHarmless(server, async () => {
        const transportClosed = new Promise((resolve) => socket.once('disconnect', resolve));
        // A network drop, not a goodbye: the session stays restorable on the server.
        socket.io.engine.close();
        await transportClosed;
        // Rotating before the server noticed the drop would end the session for good (nothing left to restore).
        await until(() => server.io.of('/').sockets.size === 0);
        server.rotatePresenterToken('rotated-while-away-0123456789');
        const restored = new Promise<boolean>((resolve) => socket.once('connect', () => resolve(socket.recovered)));
        const droppedAgain = new Promise<string>((resolve) => socket.once('disconnect', resolve));
        expect(await restored).toBe(true);
        expect(await droppedAgain).toBe('io server disconnect');
      });
    });

    const PARTICIPATION: Array<[Event, unknown]> = [
      ['chat:send', { text: 'I am back' }],
      ['question:ask', { text: 'Remember me?' }],
      ['question:vote', { id: 1, up: true }],
      ['reaction:send', { emoji: '👍' }],
      ['poll:vote', { poll: 'some-poll', option: 0 }],
      ['pace:vote', { dir: 'faster' }],
      ['name:set', { name: 'Innocent' }],
      ['race:ping', {}],
    ];

    it.each(PARTICIPATION)('refuses %s from a banned person, whose phone is disconnected, on a new socket', async (event, payload) => {
      const server = await start();
      const chair = await boss(server);
      const troll = await phone(server, 'banned-troll-1');
      await troll.socket.emitWithAck('question:ask', { text: 'first question' });
      const dropped = new Promise<string>((resolve) => troll.socket.once('disconnect', resolve));
      expect(await chair.socket.emitWithAck('client:ban', { authorId: troll.snapshot.me.authorId })).toEqual({ ok: true });
      expect(await dropped).toBe('io server disconnect');
      await expectHarmless(server, async () => {
        const back = await phone(server, 'banned-troll-1');
        expect(await back.socket.emitWithAck(event, payload as never)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      });
    });

    it('keeps a ban on a socket restored by connection state recovery', async () => {
      const server = await start();
      const chair = await boss(server);
      const socket: TestClient = io(server.url, {
        auth: { role: 'audience', clientId: 'banned-restored-1' },
        transports: ['websocket'],
        forceNew: true,
        reconnectionDelay: 50,
        reconnectionDelayMax: 50,
      });
      sockets.push(socket);
      const { me } = await new Promise<{ me: { authorId: string } }>((resolve) => socket.once('snapshot', resolve));
      // Recovery resumes from the offset of the last room broadcast a phone received; a phone that has heard none joins afresh.
      const moved = waitForEvent(socket, 'slide:changed', (slide) => slide.h === 1);
      expect(await chair.socket.emitWithAck('slide:set', { h: 1, v: 0, f: -1 })).toMatchObject({ ok: true });
      await moved;
      await expectHarmless(server, async () => {
        // Banned while its network is down: nothing to disconnect, and the session is still restorable.
        const transportClosed = new Promise((resolve) => socket.once('disconnect', resolve));
        socket.io.engine.close();
        await transportClosed;
        expect(await chair.socket.emitWithAck('client:ban', { authorId: me.authorId })).toEqual({ ok: true });
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        expect(socket.recovered).toBe(true);
        expect(await socket.emitWithAck('chat:send', { text: 'restored, so allowed?' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      });
    });

    const PRESENTER_ONLY: Array<[Event, unknown]> = [
      ['slide:set', { h: 1, v: 0, f: -1 }],
      ['chat:delete', { id: 1 }],
      ['chat:lock', { locked: true }],
      ['question:answer', { id: 1, answered: true }],
      ['question:hide', { id: 1 }],
      ['question:spotlight', { id: 1 }],
      ['client:ban', { authorId: 'someone' }],
      ['timer:control', { action: 'start' }],
      ['screen:blank', { blank: true }],
      ['follow:pause', { message: 'gotcha' }],
      ['session:start', {}],
      ['session:end', {}],
      ['poll:reset', { poll: 'some-poll' }],
      ['poll:close', { poll: 'some-poll', closed: true }],
    ];

    it.each(PRESENTER_ONLY)('refuses the presenter event %s from a phone with forbidden', async (event, payload) => {
      const server = await start();
      const intruder = await phone(server, 'presenter-wannabe');
      await intruder.socket.emitWithAck('chat:send', { text: 'a message to delete' });
      await expectHarmless(server, async () => {
        expect(await intruder.socket.emitWithAck(event, payload as never)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      });
    });
  });
});
