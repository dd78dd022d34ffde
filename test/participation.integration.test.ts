import { beforeEach, describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../demo-server/server.js';
import { audience, nextEvents, presenter, recordEvents, serverFixture, waitForEvent, type TestClient } from './helpers.js';

describe('audience participation over real sockets', () => {
  let server: LiveDeckServer;
  const { sockets, start } = serverFixture();
  const track = <T extends { socket: TestClient }>(connected: T): T => {
    sockets.push(connected.socket);
    return connected;
  };

  beforeEach(async () => {
    server = await start();
  });

  describe('identity', () => {
    it('gives a default Guest- name and a public authorId that is not the clientId', async () => {
      const { snapshot } = track(await audience(server.url, 'secret-client-id-1'));
      expect(snapshot.me.name).toMatch(/^Guest-[A-Za-z0-9]{4}$/);
      expect(snapshot.me.authorId).not.toContain('secret-client-id-1');
    });

    it('keeps the same authorId across reconnections of the same clientId', async () => {
      const first = track(await audience(server.url, 'same-person-01'));
      const second = track(await audience(server.url, 'same-person-01'));
      expect(second.snapshot.me.authorId).toBe(first.snapshot.me.authorId);
    });

    it('changes the name with name:set and refuses names over 32 characters', async () => {
      const { socket } = track(await audience(server.url, 'renamer-00001'));
      expect(await socket.emitWithAck('name:set', { name: '  Ada  ' })).toEqual({ ok: true, name: 'Ada' });
      const reply = await socket.emitWithAck('chat:send', { text: 'hi' });
      expect(reply).toMatchObject({ ok: true, message: { name: 'Ada' } });
      expect(await socket.emitWithAck('name:set', { name: 'x'.repeat(33) })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    });

    it('never sends a clientId to other clients', async () => {
      const sender = track(await audience(server.url, 'private-id-xyz'));
      const other = track(await audience(server.url, 'other-person-1'));
      const heard = nextEvents(other.socket, 'chat:message');
      await sender.socket.emitWithAck('chat:send', { text: 'hello' });
      const question = nextEvents(other.socket, 'question:updated');
      await sender.socket.emitWithAck('question:ask', { text: 'why?' });
      expect(JSON.stringify(await heard)).not.toContain('private-id-xyz');
      expect(JSON.stringify(await question)).not.toContain('private-id-xyz');
    });
  });

  describe('chat', () => {
    it('acks with the message and broadcasts chat:message { id, name, text, ts } to everyone else, once', async () => {
      const alice = track(await audience(server.url, 'alice-0000001', 'Alice'));
      const bob = track(await audience(server.url, 'bob-000000001'));
      const boss = track(await presenter(server.url));
      const atAlice: string[] = [];
      alice.socket.on('chat:message', (message) => atAlice.push(message.text));
      const atBob = nextEvents(bob.socket, 'chat:message');
      const atBoss = nextEvents(boss.socket, 'chat:message');
      const reply = await alice.socket.emitWithAck('chat:send', { text: '  Hello room  ' });
      expect(reply).toMatchObject({ ok: true, message: { name: 'Alice', text: 'Hello room' } });
      const [heard] = await atBob;
      expect(heard).toMatchObject({ id: expect.any(Number), name: 'Alice', text: 'Hello room', ts: expect.any(Number) });
      // Every screen's copy carries its revision (docs/protocol.md, Revisions): a phone's, its batch's.
      const { rev, ...message } = heard!;
      expect(rev).toEqual(expect.any(Number));
      expect(reply.ok && reply.message).toEqual(message);
      expect((await atBoss)[0]).toEqual({ ...message, rev });
      // The sender has its message in the ack: the broadcast skips it. Bob's reply, sent after, is the first it hears.
      const second = nextEvents(alice.socket, 'chat:message');
      expect(await bob.socket.emitWithAck('chat:send', { text: 'hi Alice' })).toMatchObject({ ok: true });
      await second;
      expect(atAlice).toEqual(['hi Alice']);
    });

    it.each([
      ['empty', { text: '   ' }],
      ['too long', { text: 'x'.repeat(501) }],
      ['not a string', { text: 42 }],
      ['extra keys', { text: 'hi', admin: true }],
    ])('refuses %s text with invalid and broadcasts nothing', async (_label, payload) => {
      const sender = track(await audience(server.url, 'sender-000001'));
      const watcher = track(await audience(server.url, 'watcher-00001'));
      const heard = recordEvents(watcher.socket, 'chat:message');
      expect(await sender.socket.emitWithAck('chat:send', payload as never)).toMatchObject({ ok: false, error: { code: 'invalid' } });
      // A good message reaches the watcher after anything the refused one could have broadcast.
      const good = nextEvents(watcher.socket, 'chat:message');
      expect(await sender.socket.emitWithAck('chat:send', { text: 'a good one' })).toMatchObject({ ok: true });
      await good;
      expect(heard.received.map((message) => message.text)).toEqual(['a good one']);
    });

    it('accepts exactly 500 characters', async () => {
      const sender = track(await audience(server.url, 'sender-500-01'));
      expect(await sender.socket.emitWithAck('chat:send', { text: 'y'.repeat(500) })).toMatchObject({ ok: true });
    });

    it('rate-limits a client after 5 messages in 10 s, with retry-after, across its sockets', async () => {
      const first = track(await audience(server.url, 'chatty-person1'));
      const second = track(await audience(server.url, 'chatty-person1'));
      const watcher = track(await audience(server.url, 'watcher-00002'));
      const allFive = nextEvents(watcher.socket, 'chat:message', 5);
      for (let index = 0; index < 5; index++) {
        expect(await (index % 2 ? second : first).socket.emitWithAck('chat:send', { text: `m${index}` })).toMatchObject({ ok: true });
      }
      await allFive;
      const heard = recordEvents(watcher.socket, 'chat:message');
      const reply = await second.socket.emitWithAck('chat:send', { text: 'one too many' });
      expect(reply).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: expect.any(Number) } });
      // Someone else's message reaches the watcher after anything the refused one could have broadcast.
      const other = track(await audience(server.url, 'other-person1'));
      const later = nextEvents(watcher.socket, 'chat:message');
      expect(await other.socket.emitWithAck('chat:send', { text: 'from someone else' })).toMatchObject({ ok: true });
      await later;
      expect(heard.received.map((message) => message.text)).toEqual(['from someone else']);
    });

    it('gives a late joiner the newest 100 messages, oldest first, and nothing but messages', async () => {
      const senders = await Promise.all(Array.from({ length: 22 }, (_, index) => audience(server.url, `sender-${String(index).padStart(3, '0')}-x`)));
      senders.forEach(track);
      let count = 0;
      for (let round = 0; round < 5; round++) {
        await Promise.all(senders.map((sender) => sender.socket.emitWithAck('chat:send', { text: `msg ${count++}` })));
      }
      const late = track(await audience(server.url, 'late-joiner-02'));
      expect(late.snapshot.chat).toHaveLength(100);
      const ids = late.snapshot.chat.map((message) => message.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(late.snapshot.chat.every((message) => message.text.startsWith('msg '))).toBe(true);
      // Joins between two commits share one encoding of the history; the next message starts a new one.
      const alongside = track(await audience(server.url, 'late-joiner-03'));
      expect(alongside.snapshot.chat).toEqual(late.snapshot.chat);
      const boss = track(await presenter(server.url));
      expect(await boss.socket.emitWithAck('chat:send', { text: 'msg after the late joins' })).toMatchObject({ ok: true });
      const later = track(await audience(server.url, 'late-joiner-04'));
      expect(later.snapshot.chat).toHaveLength(100);
      expect(later.snapshot.chat.at(-1)?.text).toBe('msg after the late joins');
      expect(later.snapshot.chat[0]?.id).toBe(ids[1]);
    });
  });

  describe('questions', () => {
    it('asks with the asker’s vote and the current slide, and broadcasts question:updated', async () => {
      const boss = track(await presenter(server.url));
      await boss.socket.emitWithAck('slide:set', { h: 5, v: 0, f: -1 });
      const asker = track(await audience(server.url, 'asker-0000001', 'Q'));
      const watcher = track(await audience(server.url, 'watcher-00003'));
      const seen = nextEvents(watcher.socket, 'question:updated');
      const reply = await asker.socket.emitWithAck('question:ask', { text: 'Is Node single-threaded?' });
      expect(reply).toMatchObject({ ok: true, question: { votes: 1, answered: false, hidden: false, slide: { h: 5, v: 0 } } });
      expect((await seen)[0]).toMatchObject({
        id: expect.any(Number),
        name: 'Q',
        text: 'Is Node single-threaded?',
        votes: 1,
        answered: false,
        hidden: false,
        ts: expect.any(Number),
      });
    });

    it('refuses questions over 280 characters', async () => {
      const asker = track(await audience(server.url, 'asker-0000002'));
      expect(await asker.socket.emitWithAck('question:ask', { text: 'q'.repeat(281) })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    });

    it('sets a vote idempotently per clientId, from any of its sockets', async () => {
      const asker = track(await audience(server.url, 'asker-0000003'));
      const voterA = track(await audience(server.url, 'voter-0000001'));
      const voterB = track(await audience(server.url, 'voter-0000001'));
      const ask = await asker.socket.emitWithAck('question:ask', { text: 'Vote on me' });
      if (!ask.ok) throw new Error('ask failed');
      const id = ask.question.id;
      expect(await voterA.socket.emitWithAck('question:vote', { id, up: true })).toMatchObject({ ok: true, question: { votes: 2 } });
      expect(await voterB.socket.emitWithAck('question:vote', { id, up: true })).toMatchObject({ ok: true, question: { votes: 2 } });
      expect(await voterA.socket.emitWithAck('question:vote', { id, up: false })).toMatchObject({ ok: true, question: { votes: 1 } });
      expect(await voterB.socket.emitWithAck('question:vote', { id, up: false })).toMatchObject({ ok: true, question: { votes: 1 } });
      // A reconnection (new socket, same clientId) cannot vote twice either.
      voterA.socket.close();
      const again = track(await audience(server.url, 'voter-0000001'));
      expect(again.snapshot.questions.find((question) => question.id === id)?.voted).toBe(false);
      await again.socket.emitWithAck('question:vote', { id, up: true });
      const reconnected = track(await audience(server.url, 'voter-0000001'));
      expect(await reconnected.socket.emitWithAck('question:vote', { id, up: true })).toMatchObject({ ok: true, question: { votes: 2 } });
      expect(reconnected.snapshot.questions.find((question) => question.id === id)?.voted).toBe(true);
    });

    it('answers not_found for a vote on a question that does not exist', async () => {
      const voter = track(await audience(server.url, 'voter-0000002'));
      expect(await voter.socket.emitWithAck('question:vote', { id: 999, up: true })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    });

    it('lets the presenter answer, hide and spotlight; hidden questions leave every audience view', async () => {
      const boss = track(await presenter(server.url));
      const asker = track(await audience(server.url, 'asker-0000004'));
      const watcher = track(await audience(server.url, 'watcher-00004'));
      const ask = await asker.socket.emitWithAck('question:ask', { text: 'Spotlight me' });
      if (!ask.ok) throw new Error('ask failed');
      const id = ask.question.id;

      const spot = nextEvents(watcher.socket, 'question:spotlight');
      expect(await boss.socket.emitWithAck('question:spotlight', { id })).toEqual({ ok: true });
      expect(await spot).toEqual([{ id, rev: expect.any(Number) }]);

      expect(await boss.socket.emitWithAck('question:answer', { id, answered: true })).toMatchObject({ ok: true, question: { answered: true } });

      const hiddenAtWatcher = waitForEvent(watcher.socket, 'question:updated', (question) => question.hidden);
      expect(await boss.socket.emitWithAck('question:hide', { id })).toMatchObject({ ok: true, question: { hidden: true } });
      const update = await hiddenAtWatcher;
      expect(update).toMatchObject({ id, hidden: true, text: '' });
      const late = track(await audience(server.url, 'late-joiner-03'));
      expect(late.snapshot.questions.find((question) => question.id === id)).toBeUndefined();
      expect(late.snapshot.spotlight).toBeNull();
      const bossLate = track(await presenter(server.url));
      expect(bossLate.snapshot.questions.find((question) => question.id === id)).toMatchObject({ hidden: true, text: 'Spotlight me' });
    });

    it.each(['question:answer', 'question:hide', 'question:spotlight', 'client:ban', 'chat:lock', 'chat:delete'] as const)(
      'refuses %s from the audience with forbidden, whatever the payload',
      async (event) => {
        const sneaky = track(await audience(server.url, 'sneaky-000001'));
        const reply = await (sneaky.socket.emitWithAck as (event: string, payload: unknown) => Promise<unknown>)(event, { garbage: true });
        expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      },
    );
  });

  describe('moderation', () => {
    it('bans a person: later messages and questions are forbidden, existing ones are hidden', async () => {
      const boss = track(await presenter(server.url));
      const troll = track(await audience(server.url, 'troll-0000001'));
      const watcher = track(await audience(server.url, 'watcher-00005'));
      const said = await troll.socket.emitWithAck('chat:send', { text: 'spam' });
      const asked = await troll.socket.emitWithAck('question:ask', { text: 'spam?' });
      if (!said.ok || !asked.ok) throw new Error('setup failed');

      const deleted = nextEvents(watcher.socket, 'chat:deleted');
      const hidden = waitForEvent(watcher.socket, 'question:updated', (question) => question.hidden);
      const dropped = new Promise<string>((resolve) => troll.socket.once('disconnect', resolve));
      expect(await boss.socket.emitWithAck('client:ban', { authorId: troll.snapshot.me.authorId })).toEqual({ ok: true });
      expect(await deleted).toEqual([{ id: said.message.id, rev: expect.any(Number) }]);
      expect(await hidden).toMatchObject({ id: asked.question.id, hidden: true });
      expect(await dropped).toBe('io server disconnect');

      // The ban follows the clientId, not the socket.
      const back = track(await audience(server.url, 'troll-0000001'));
      expect(await back.socket.emitWithAck('chat:send', { text: 'I am back' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await back.socket.emitWithAck('question:ask', { text: 'more?' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(back.snapshot.chat.find((message) => message.id === said.message.id)).toBeUndefined();
    });

    it('locks the chat for the audience but not the questions', async () => {
      const boss = track(await presenter(server.url));
      const phone = track(await audience(server.url, 'phone-lock-01'));
      const locked = nextEvents(phone.socket, 'chat:locked');
      expect(await boss.socket.emitWithAck('chat:lock', { locked: true })).toEqual({ ok: true });
      expect(await locked).toEqual([{ locked: true, rev: expect.any(Number) }]);
      expect(await phone.socket.emitWithAck('chat:send', { text: 'hi' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await phone.socket.emitWithAck('question:ask', { text: 'still ok?' })).toMatchObject({ ok: true });
    });
  });

  describe('reactions and presence', () => {
    it('aggregates reactions into reaction:burst and refuses unknown emoji', async () => {
      const phone = track(await audience(server.url, 'reactor-00001'));
      const boss = track(await presenter(server.url));
      // Bursts leave 4 times a second: on a loaded machine these four sends may straddle two of them.
      const summed: Record<string, number> = {};
      let bursts = 0;
      boss.socket.on('reaction:burst', ({ counts }) => {
        bursts++;
        for (const [emoji, count] of Object.entries(counts)) summed[emoji] = (summed[emoji] ?? 0) + count;
      });
      const heardByPhone: Record<string, number> = {};
      phone.socket.on('reaction:burst', ({ counts }) => {
        for (const [emoji, count] of Object.entries(counts)) heardByPhone[emoji] = (heardByPhone[emoji] ?? 0) + count;
      });
      for (let index = 0; index < 3; index++) await phone.socket.emitWithAck('reaction:send', { emoji: '👏' });
      await phone.socket.emitWithAck('reaction:send', { emoji: '🎉' });
      await expect.poll(() => summed).toEqual({ '👏': 3, '🎉': 1 });
      expect(bursts).toBeLessThanOrEqual(4);
      // Phones hear the same counts, in their batches.
      await expect.poll(() => heardByPhone).toEqual({ '👏': 3, '🎉': 1 });
      expect(await phone.socket.emitWithAck('reaction:send', { emoji: '💩' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    });

    it('announces the audience count as audience:count { n }', async () => {
      const boss = track(await presenter(server.url));
      const counted = new Promise<number>((resolve) => {
        boss.socket.on('audience:count', ({ n }) => {
          if (n === 2) resolve(n);
        });
      });
      track(await audience(server.url, 'counted-00001'));
      track(await audience(server.url, 'counted-00002'));
      expect(await counted).toBe(2);
    });
  });
});
