/**
 * Hostile room, round two, item 5, scaled out: two processes share one real
 * redis-server. The ban on process A marks the address; a private tab on
 * process B is held (the mark comes from Redis, not A's memory), the
 * presenter on A sees it waiting and approves, and phones on B hear it.
 */
import { describe, expect, it } from 'vitest';
import { connectClient, presenter, recordEvents, until, waitForEvent } from '../helpers.js';
import { scaledOutFixture, type ServerProcess, PROCESS_TEST_TIMEOUT } from '../process.js';

describe('scaled out: a ban’s mark and approvals hold across processes', { timeout: PROCESS_TEST_TIMEOUT }, () => {
  const fixture = scaledOutFixture({ LIVEDECK_TRUST_PROXY: '1' });
  const { sockets } = fixture;

  const phone = async (server: ServerProcess, clientId: string, address: string) => {
    const connected = await connectClient(server.url, { role: 'audience', clientId }, { address });
    sockets.push(connected.socket);
    return connected;
  };

  it('a ban on A holds a new identity on B; approved on A, phones on B hear it', async () => {
    const [a, b] = fixture.servers as [ServerProcess, ServerProcess];
    const boss = await presenter(a.url);
    sockets.push(boss.socket);
    const troll = await phone(a, 'scaled-troll-0001', '10.1.0.66');
    const watcher = await phone(b, 'scaled-watch-0001', '10.1.0.7');
    const gone = new Promise((resolve) => troll.socket.once('disconnect', resolve));
    expect(await boss.socket.emitWithAck('client:ban', { authorId: troll.snapshot.me.authorId })).toEqual({ ok: true });
    await gone;

    const heard = recordEvents(watcher.socket, 'chat:message');
    const tab = await phone(b, 'scaled-tab-000001', '10.1.0.66');
    const listed = waitForEvent(boss.socket, 'hold:changed', ({ people }) => people.some((person) => person.authorId === tab.snapshot.me.authorId), 15_000);
    expect(await tab.socket.emitWithAck('chat:send', { text: 'held on B' })).toMatchObject({ ok: true, message: { held: true } });
    expect((await listed).people[0]?.chat.map((message) => message.text)).toEqual(['held on B']);

    const approved = waitForEvent(tab.socket, 'hold:approved', () => true, 15_000);
    expect(await boss.socket.emitWithAck('hold:approve', { authorId: tab.snapshot.me.authorId })).toEqual({ ok: true, chat: 1, questions: 0 });
    await approved;
    await until(() => heard.received.length > 0, 'the approved message on B');
    expect(heard.received.map((message) => message.text)).toEqual(['held on B']);
    // Approved on A, trusted on B: straight to the room.
    const trusted = await tab.socket.emitWithAck('chat:send', { text: 'now trusted' });
    expect(trusted).toMatchObject({ ok: true, message: { text: 'now trusted' } });
    expect(trusted.ok && trusted.message.held).toBeUndefined();
  });
});
