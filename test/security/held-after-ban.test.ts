/**
 * Hostile room, round two, item 5: a ban escaped by a new clientId (a
 * private tab chatted again at once). A ban now marks the banned person's
 * address for the session: an identity first seen after it, from that
 * address, is held. What it sends is stored but waits in the presenter's
 * console; the presenter approves (it goes to the room, in order) or bans.
 * People known in the session before the ban keep chatting (a shared NAT).
 * Addresses come from X-Forwarded-For (trustProxy), as behind a venue proxy.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../../demo-server/server.js';
import type { HeldPerson, Snapshot } from '../../src/shared/protocol.js';
import { connectClient, presenter, recordEvents, serverFixture, tempDir, until, waitForEvent, type TestClient } from '../helpers.js';

const TROLL_ADDRESS = '10.0.0.66';
const OTHER_ADDRESS = '10.0.0.7';

describe('hostile room, round two: new identities from a banned address wait for the presenter', () => {
  const fixture = serverFixture();

  /** A phone behind the proxy, from `address`. */
  const phone = async (server: LiveDeckServer, clientId: string, address: string) => {
    const connected = await connectClient(server.url, { role: 'audience', clientId }, { address });
    fixture.sockets.push(connected.socket);
    return connected;
  };

  const boss = async (server: LiveDeckServer) => {
    const connected = await presenter(server.url);
    fixture.sockets.push(connected.socket);
    return connected;
  };

  /** Bans the troll (on TROLL_ADDRESS) and waits until their phone is gone. */
  async function banTroll(server: LiveDeckServer, console: TestClient, troll: { socket: TestClient; snapshot: Snapshot }) {
    const gone = new Promise<string>((resolve) => troll.socket.once('disconnect', resolve));
    expect(await console.emitWithAck('client:ban', { authorId: troll.snapshot.me.authorId })).toEqual({ ok: true });
    expect(await gone).toBe('io server disconnect');
  }

  it('holds a private tab’s messages and questions for the presenter; approved, the room gets them in order', async () => {
    const server = await fixture.start({ trustProxy: true });
    const console = (await boss(server)).socket;
    const troll = await phone(server, 'held-troll-000001', TROLL_ADDRESS);
    // Known before the ban, behind the same address (a venue NAT).
    const neighbour = await phone(server, 'held-neighbour-01', TROLL_ADDRESS);
    const watcher = await phone(server, 'held-watcher-0001', OTHER_ADDRESS);
    expect(await troll.socket.emitWithAck('chat:send', { text: 'spam' })).toMatchObject({ ok: true });
    await banTroll(server, console, troll);

    const heard = recordEvents(watcher.socket, 'chat:message');
    const questionsHeard = recordEvents(watcher.socket, 'question:updated');
    const consoleHeard = recordEvents(console, 'chat:message');

    const tab = await phone(server, 'held-private-tab1', TROLL_ADDRESS);
    const tabId = tab.snapshot.me.authorId;
    const listed = waitForEvent(console, 'hold:changed', ({ people }) =>
      people.some((person) => person.authorId === tabId && person.chat.length === 2 && person.questions.length === 1),
    );
    const first = await tab.socket.emitWithAck('chat:send', { text: 'hello again' });
    expect(first).toMatchObject({ ok: true, message: { held: true, text: 'hello again', authorId: tabId } });
    expect(await tab.socket.emitWithAck('chat:send', { text: 'second' })).toMatchObject({ ok: true, message: { held: true } });
    const asked = await tab.socket.emitWithAck('question:ask', { text: 'a held question' });
    if (!asked.ok) throw new Error('ask failed');
    expect(asked.question.pending).toBe(true);

    // The presenter sees them waiting, per person, and so does a console that joins now.
    const waiting = (await listed).people.find((person) => person.authorId === tabId)!;
    expect(waiting).toMatchObject<Partial<HeldPerson>>({ name: tab.snapshot.me.name });
    expect(waiting.chat.map((message) => message.text)).toEqual(['hello again', 'second']);
    expect(waiting.questions.map((question) => question.text)).toEqual(['a held question']);
    const late = await boss(server);
    expect(late.snapshot.held?.map((person) => [person.authorId, person.chat.length, person.questions.length])).toEqual([[tabId, 2, 1]]);
    // The tab, reloaded, still shows its messages as waiting.
    tab.socket.close();
    const reloaded = await phone(server, 'held-private-tab1', TROLL_ADDRESS);
    expect(reloaded.snapshot.waiting?.map((message) => message.text)).toEqual(['hello again', 'second']);

    // The neighbour, known before the ban, still reaches the room; what was held did not.
    expect(await neighbour.socket.emitWithAck('chat:send', { text: 'from the same network' })).toMatchObject({
      ok: true,
      message: { text: 'from the same network' },
    });
    await until(() => heard.received.some((message) => message.text === 'from the same network'), 'the neighbour’s message');
    expect(heard.received.map((message) => message.text)).toEqual(['from the same network']);
    expect(consoleHeard.received.map((message) => message.text)).toEqual(['from the same network']);
    expect(questionsHeard.received).toEqual([]);
    expect((await server.room.storage.allChat(server.room.sessionId)).map((message) => message.text)).toEqual(['from the same network']);

    const approvedToo = waitForEvent(reloaded.socket, 'hold:approved', () => true);
    const emptied = waitForEvent(console, 'hold:changed', ({ people }) => people.length === 0);
    expect(await console.emitWithAck('hold:approve', { authorId: tabId })).toEqual({ ok: true, chat: 2, questions: 1 });
    await Promise.all([approvedToo, emptied]);
    await until(() => heard.received.length === 3 && questionsHeard.received.length > 0, 'the approved messages and question');
    expect(heard.received.map((message) => message.text)).toEqual(['from the same network', 'hello again', 'second']);
    expect(questionsHeard.received.at(-1)).toMatchObject({ text: 'a held question', pending: false });

    // Trusted for the rest of the session: the next message goes straight to the room.
    expect(await reloaded.socket.emitWithAck('chat:send', { text: 'thanks' })).toMatchObject({ ok: true, message: { text: 'thanks' } });
    await until(() => heard.received.some((message) => message.text === 'thanks'), 'the trusted message');
    expect(await console.emitWithAck('hold:approve', { authorId: tabId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('rejects: the held person is banned and what they sent is gone, without the room ever hearing it', async () => {
    const server = await fixture.start({ trustProxy: true });
    const console = (await boss(server)).socket;
    const troll = await phone(server, 'held-troll-000002', TROLL_ADDRESS);
    const watcher = await phone(server, 'held-watcher-0002', OTHER_ADDRESS);
    await banTroll(server, console, troll);
    const heard = recordEvents(watcher.socket, 'chat:message');

    const tab = await phone(server, 'held-private-tab2', TROLL_ADDRESS);
    expect(await tab.socket.emitWithAck('chat:send', { text: 'let me back in' })).toMatchObject({ ok: true, message: { held: true } });
    await until(async () => (await server.room.storage.heldPeople(server.room.sessionId)).authorIds.length === 1, 'the held person');

    const told = waitForEvent(tab.socket, 'client:banned', () => true);
    const emptied = waitForEvent(console, 'hold:changed', ({ people }) => people.length === 0);
    expect(await console.emitWithAck('client:ban', { authorId: tab.snapshot.me.authorId })).toEqual({ ok: true });
    await Promise.all([told, emptied]);
    expect(await server.room.storage.heldPeople(server.room.sessionId)).toEqual({ authorIds: [], chat: [] });
    expect(await console.emitWithAck('hold:approve', { authorId: tab.snapshot.me.authorId })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // Someone from another address, new after the ban, is not held; the room heard only them.
    const newcomer = await phone(server, 'held-newcomer-002', OTHER_ADDRESS);
    expect(await newcomer.socket.emitWithAck('chat:send', { text: 'hi all' })).toMatchObject({ ok: true, message: { text: 'hi all' } });
    await until(() => heard.received.length > 0, 'the newcomer’s message');
    expect(heard.received.map((message) => message.text)).toEqual(['hi all']);
  });

  it('refuses approval to phones, the held person included', async () => {
    const server = await fixture.start({ trustProxy: true });
    const console = (await boss(server)).socket;
    const troll = await phone(server, 'held-troll-000003', TROLL_ADDRESS);
    const watcher = await phone(server, 'held-watcher-0003', OTHER_ADDRESS);
    await banTroll(server, console, troll);
    const tab = await phone(server, 'held-private-tab3', TROLL_ADDRESS);
    expect(await tab.socket.emitWithAck('chat:send', { text: 'approve me' })).toMatchObject({ ok: true, message: { held: true } });

    for (const socket of [tab.socket, watcher.socket]) {
      expect(await socket.emitWithAck('hold:approve', { authorId: tab.snapshot.me.authorId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect((await server.room.storage.heldPeople(server.room.sessionId)).authorIds).toEqual([tab.snapshot.me.authorId]);
    expect(await server.room.storage.allChat(server.room.sessionId)).toEqual([]);
  });

  it('keeps the mark and what waits across a restart', async () => {
    const dbFile = path.join(tempDir(), 'held.db');
    const first = await fixture.start({ trustProxy: true, dbFile });
    const console = (await boss(first)).socket;
    const troll = await phone(first, 'held-troll-000004', TROLL_ADDRESS);
    await banTroll(first, console, troll);
    const tab = await phone(first, 'held-private-tab4', TROLL_ADDRESS);
    expect(await tab.socket.emitWithAck('chat:send', { text: 'before the restart' })).toMatchObject({ ok: true, message: { held: true } });
    await first.close();

    const second = await fixture.start({ trustProxy: true, dbFile });
    const back = await boss(second);
    expect(back.snapshot.held?.map((person) => [person.authorId, person.chat.map((message) => message.text)])).toEqual([
      [tab.snapshot.me.authorId, ['before the restart']],
    ]);
    // Another new identity from the marked address is held too.
    const another = await phone(second, 'held-private-tab5', TROLL_ADDRESS);
    expect(await another.socket.emitWithAck('chat:send', { text: 'after the restart' })).toMatchObject({ ok: true, message: { held: true } });
    expect(await another.socket.emitWithAck('question:ask', { text: 'held after restart?' })).toMatchObject({ ok: true, question: { pending: true } });
  });
});
