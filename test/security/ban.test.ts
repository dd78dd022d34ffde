/**
 * Hostile room, round two, items 5 and 12: a ban takes away what the banned
 * person put in the session (messages, questions and their votes, on
 * questions and polls alike) in one atomic step, and their phones are told
 * and disconnected.
 */
import { describe, expect, it } from 'vitest';
import { audience, presenter, serverFixture, waitForEvent } from '../helpers.js';

describe('hostile room, round two: a ban', () => {
  const { sockets, start } = serverFixture();

  it('removes the banned person’s votes from every total and disconnects their phones', async () => {
    const server = await start();
    const poll = [...server.room.polls.definitions.keys()][0]!;
    const boss = await presenter(server.url);
    const honest = await audience(server.url, 'ban-honest-0001');
    const troll = await audience(server.url, 'ban-troll-00001');
    // A second tab of the same person, then a tab that has since closed (its votes stay in storage).
    const trollTab = await audience(server.url, 'ban-troll-00001');
    const watcher = await audience(server.url, 'ban-watcher-001');
    sockets.push(boss.socket, honest.socket, troll.socket, trollTab.socket, watcher.socket);

    const asked = await honest.socket.emitWithAck('question:ask', { text: 'A real question' });
    if (!asked.ok) throw new Error('ask failed');
    expect(await troll.socket.emitWithAck('question:vote', { id: asked.question.id, up: true })).toMatchObject({ ok: true, question: { votes: 2 } });
    expect(await troll.socket.emitWithAck('poll:vote', { poll, option: 1 })).toMatchObject({ ok: true });
    expect(await honest.socket.emitWithAck('poll:vote', { poll, option: 1 })).toMatchObject({ ok: true });
    const spam = await troll.socket.emitWithAck('chat:send', { text: 'spam' });
    if (!spam.ok) throw new Error('chat failed');

    const told = waitForEvent(troll.socket, 'client:banned', () => true);
    const disconnected = new Promise<string>((resolve) => troll.socket.once('disconnect', resolve));
    const tabDisconnected = new Promise<string>((resolve) => trollTab.socket.once('disconnect', resolve));
    const recount = waitForEvent(watcher.socket, 'question:updated', (question) => question.id === asked.question.id && question.votes === 1);
    const pollRecount = waitForEvent(watcher.socket, 'poll:results', (results) => results.poll === poll && results.counts[1] === 1);
    const deleted = waitForEvent(watcher.socket, 'chat:deleted', ({ id }) => id === spam.message.id);
    expect(await boss.socket.emitWithAck('client:ban', { authorId: troll.snapshot.me.authorId })).toEqual({ ok: true });

    await told;
    expect(await disconnected).toBe('io server disconnect');
    expect(await tabDisconnected).toBe('io server disconnect');
    await Promise.all([recount, pollRecount, deleted]);
    const [stored] = await server.room.storage.listQuestions(server.room.sessionId);
    expect(stored!.votes).toBe(1);
    expect((await server.room.storage.pollCounts(server.room.sessionId)).find((tally) => tally.poll === poll)?.counts[1]).toBe(1);

    // Coming back with the same identity: connected, but everything it sends is refused.
    const back = await audience(server.url, 'ban-troll-00001');
    sockets.push(back.socket);
    expect(await back.socket.emitWithAck('question:vote', { id: asked.question.id, up: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await back.socket.emitWithAck('chat:send', { text: 'again' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
