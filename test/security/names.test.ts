/**
 * Hostile room, round two, item 4: nobody in the audience can pose as the
 * presenter or as another person. Names are compared by their Unicode
 * confusable skeletons (UTS #39), case aside; the presenter's own messages
 * carry a mark no name can produce.
 */
import { describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../../demo-server/server.js';
import { guestName as guestNameOf, nameKeys } from '../../demo-server/realtime/names.js';
import { audience, closeAll, connectClient, serverFixture, TEST_TOKEN, waitForEvent } from '../helpers.js';
import { startRedis } from '../redis-server.js';

describe('hostile room, round two: names', () => {
  const { sockets, start } = serverFixture();

  it('gives look-alike names the same skeleton, and different names different ones', () => {
    const presenterKeys = nameKeys('Presenter');
    for (const fake of ['presenter', 'PRESENTER', '\u03A1resenter', 'Pr\u0435senter', 'ｐｒｅｓｅｎｔｅｒ', 'Pre-senter', 'Présenter']) {
      expect(
        nameKeys(fake).some((key) => presenterKeys.includes(key)),
        fake,
      ).toBe(true);
    }
    expect(nameKeys('Ivan').some((key) => nameKeys('lvan').includes(key))).toBe(true);
    expect(nameKeys('Ivan').some((key) => nameKeys('ivan').includes(key))).toBe(true);
    expect(nameKeys('Ada').some((key) => nameKeys('Ida').includes(key))).toBe(false);
  });

  it("refuses the presenter's names, room-given guest names and another person's name; a presenter's message carries the badge", async () => {
    const server = await start();
    const console = await connectClient(server.url, { role: 'presenter', token: TEST_TOKEN, name: 'Grace Hopper' });
    const alice = await audience(server.url, 'names-alice-0001');
    const mallory = await audience(server.url, 'names-mallory-01');
    sockets.push(console.socket, alice.socket, mallory.socket);

    // Each attempt from a new identity: name:set allows 5 tries per 10 s per person.
    let attempts = 0;
    const refused = async (name: string) => {
      const phone = await audience(server.url, `names-attempt-${String(++attempts).padStart(4, '0')}`);
      const answer = await phone.socket.emitWithAck('name:set', { name });
      phone.socket.close();
      return answer.ok ? 'ok' : answer.error.code;
    };
    // The presenter, however it is spelled: Greek Rho, Cyrillic e, full width, case.
    for (const fake of ['Presenter', '\u03A1resenter', 'pr\u0435senter', 'ＰＲＥＳＥＮＴＥＲ', 'The Presenter'])
      expect(await refused(fake), fake).toBe('forbidden');
    // The presenter screen's own name, and a look-alike (Cyrillic о, Latin I for l).
    expect(await refused('Grace Hopper')).toBe('forbidden');
    expect(await refused('grace h\u043Epper')).toBe('forbidden');
    // Another phone's room-given name.
    expect(await refused(alice.snapshot.me.name)).toBe('forbidden');
    expect(await refused(alice.snapshot.me.name.toUpperCase().replace('O', '0'))).toBe('forbidden');

    // Unique within the session, case and confusables aside; a new name frees the old one.
    expect(await alice.socket.emitWithAck('name:set', { name: 'Alice' })).toEqual({ ok: true, name: 'Alice' });
    expect(await refused('alice')).toBe('conflict');
    expect(await refused('\u0410lice')).toBe('conflict');
    expect(await alice.socket.emitWithAck('name:set', { name: 'Alice B.' })).toMatchObject({ ok: true });
    expect(await mallory.socket.emitWithAck('name:set', { name: 'Alice' })).toMatchObject({ ok: true });
    expect(await alice.socket.emitWithAck('name:set', { name: 'Alice' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // One's own room-given name can be taken back.
    expect(await mallory.socket.emitWithAck('name:set', { name: mallory.snapshot.me.name })).toMatchObject({ ok: true });

    // A name remembered by the phone and sent in the handshake obeys the same rules: it gives way to a guest name.
    const remembered = await audience(server.url, 'names-returning-1', '\u0410lice B.');
    sockets.push(remembered.socket);
    expect(remembered.snapshot.me.name).toMatch(/^Guest-/);
    const own = await audience(server.url, 'names-alice-0001', 'Alice B.');
    sockets.push(own.socket);
    expect(own.snapshot.me.name).toBe('Alice B.');

    // The presenter's messages are marked; an audience message never is.
    const heard = waitForEvent(alice.socket, 'chat:message', (message) => message.text === 'Welcome!');
    const sent = await console.socket.emitWithAck('chat:send', { text: 'Welcome!' });
    expect(sent).toMatchObject({ ok: true, message: { presenter: true } });
    expect((await heard).presenter).toBe(true);
    const fromPhone = await mallory.socket.emitWithAck('chat:send', { text: 'hi' });
    expect(fromPhone.ok && fromPhone.message).not.toHaveProperty('presenter');
    const late = await audience(server.url, 'names-late-00001');
    sockets.push(late.socket);
    expect(late.snapshot.chat.find((message) => message.text === 'Welcome!')?.presenter).toBe(true);
  });

  it('keeps names unique in a new session: a phone’s name is registered again, or gives way to its guest name', async () => {
    const server = await start();
    const ada = await audience(server.url, 'names-carry-ada1', 'Ada');
    const grace = await audience(server.url, 'names-carry-grace', 'Grace');
    // A presenter screen named like a phone that took the name first: the phone keeps it in this session.
    const console = await connectClient(server.url, { role: 'presenter', token: TEST_TOKEN, name: 'Grace' });
    sockets.push(ada.socket, grace.socket, console.socket);
    expect(grace.snapshot.me.name).toBe('Grace');

    const adaSees = waitForEvent(ada.socket, 'snapshot', () => true);
    const graceSees = waitForEvent(grace.socket, 'snapshot', () => true);
    expect(await console.socket.emitWithAck('session:start', {})).toMatchObject({ ok: true });
    expect((await adaSees).me.name).toBe('Ada');
    // In the new session the presenter screen's name comes first.
    expect((await graceSees).me.name).toBe(guestNameOf(grace.snapshot.me.authorId));

    const newcomer = await audience(server.url, 'names-carry-new1');
    sockets.push(newcomer.socket);
    expect(await newcomer.socket.emitWithAck('name:set', { name: 'ADA' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await newcomer.socket.emitWithAck('name:set', { name: 'Grace' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // What Ada sends still carries her name.
    expect(await ada.socket.emitWithAck('chat:send', { text: 'still me' })).toMatchObject({ ok: true, message: { name: 'Ada' } });
  });

  it('keeps names unique across processes sharing Redis', async () => {
    const redis = await startRedis();
    const running: LiveDeckServer[] = [];
    try {
      const first = await start({ redisUrl: redis.url });
      running.push(first);
      const second = await start({ redisUrl: redis.url });
      running.push(second);
      const one = await audience(first.url, 'names-shared-001');
      const other = await audience(second.url, 'names-shared-002');
      sockets.push(one.socket, other.socket);
      expect(await one.socket.emitWithAck('name:set', { name: 'Linus' })).toMatchObject({ ok: true });
      expect(await other.socket.emitWithAck('name:set', { name: 'L\u0131nus' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
      expect(await other.socket.emitWithAck('name:set', { name: 'Presenter' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      // Before Redis goes (the fixture closing them again later is harmless).
      closeAll(...sockets.splice(0));
      for (const server of running) await server.close();
      await redis.destroy();
    }
  });
});
