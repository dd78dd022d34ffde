/**
 * Hostile room, round two, items 9 and 10: a refusal changes nothing, and a
 * position is checked against the deck down to its fragments. A vote on a
 * hidden question was answered `not_found` and still counted (1 → 6);
 * `slide:set { f: 7 }` was accepted on a slide without fragments.
 */
import { describe, expect, it } from 'vitest';
import { audience, presenter, serverFixture } from '../helpers.js';
import { expectHarmless } from './harness.js';

describe('hostile room, round two: refusals change nothing', () => {
  const { sockets, start } = serverFixture();

  it('refuses votes on a hidden question as not_found and leaves its count alone', async () => {
    const server = await start();
    const asker = await audience(server.url, 'hidden-asker-001');
    const boss = await presenter(server.url);
    sockets.push(asker.socket, boss.socket);
    const asked = await asker.socket.emitWithAck('question:ask', { text: 'Soon to be hidden' });
    if (!asked.ok) throw new Error('ask failed');
    expect(await boss.socket.emitWithAck('question:hide', { id: asked.question.id })).toMatchObject({ ok: true });

    await expectHarmless(server, async () => {
      const voters = await Promise.all(Array.from({ length: 5 }, (_, n) => audience(server.url, `hidden-voter-${n}-00`)));
      sockets.push(...voters.map((voter) => voter.socket));
      for (const { socket } of voters) {
        expect(await socket.emitWithAck('question:vote', { id: asked.question.id, up: true })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      }
      // Taking back the asker's own vote is refused the same way.
      expect(await asker.socket.emitWithAck('question:vote', { id: asked.question.id, up: false })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    });
    const [stored] = await server.room.storage.listQuestions(server.room.sessionId);
    expect(stored).toMatchObject({ hidden: true, votes: 1 });
  });

  it('checks slide:set’s fragment against the slide: none past the last one', async () => {
    const server = await start();
    const boss = await presenter(server.url);
    sockets.push(boss.socket);
    const slides = server.room.talk.slides;
    const plain = slides.findIndex((stack) => stack[0]!.fragments === 0);
    const stepped = slides.findIndex((stack) => stack[0]!.fragments > 1);
    const fragments = slides[stepped]![0]!.fragments;

    await expectHarmless(server, async () => {
      for (const f of [1, 7, 999]) {
        expect(await boss.socket.emitWithAck('slide:set', { h: plain, v: 0, f })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      }
      expect(await boss.socket.emitWithAck('slide:set', { h: stepped, v: 0, f: fragments })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    });
    for (const f of [-1, 0, fragments - 1]) {
      expect(await boss.socket.emitWithAck('slide:set', { h: stepped, v: 0, f })).toMatchObject({ ok: true });
    }
    expect(await boss.socket.emitWithAck('slide:set', { h: plain, v: 0, f: 0 })).toMatchObject({ ok: true });
  });
});
