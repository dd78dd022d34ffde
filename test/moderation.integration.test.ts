/**
 * Moderation the room can see, and the host can choose (issue 13, item 7),
 * over real sockets: the hidden-question count reaches every phone, review
 * mode holds questions for approval or refusal, and the talk's front matter
 * chooses the reactions and whether the projector counts phones.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../demo-server/server.js';
import type { PublicTalk } from '../src/shared/protocol.js';
import { audience, presenter, serverFixture, tempDir, waitForEvent } from './helpers.js';

function talkFile(frontMatter: string): string {
  const file = path.join(tempDir(), 'moderated.md');
  fs.writeFileSync(file, `---\ntitle: Moderated\n${frontMatter}\n---\n\n# One\n\n---\n\n## Two\n`);
  return file;
}

describe('moderation the room can see', () => {
  let server: LiveDeckServer;
  const { sockets, start } = serverFixture();

  async function room() {
    const [desk, asker, other] = await Promise.all([
      presenter(server.url),
      audience(server.url, 'moderation-asker', 'Asker'),
      audience(server.url, 'moderation-other'),
    ]);
    sockets.push(desk.socket, asker.socket, other.socket);
    return { desk, asker, other };
  }

  it('tells every phone how many questions the presenter hid, instead of letting them vanish', async () => {
    server = await start();
    const { desk, asker, other } = await room();
    expect(other.snapshot.hiddenQuestions).toBe(0);
    const asked = await asker.socket.emitWithAck('question:ask', { text: 'Off-topic question' });
    if (!asked.ok) throw new Error(asked.error.message);

    const counted = waitForEvent(other.socket, 'questions:hidden', ({ count }) => count === 1);
    const vanished = waitForEvent(other.socket, 'question:updated', (question) => question.id === asked.question.id && question.hidden);
    expect((await desk.socket.emitWithAck('question:hide', { id: asked.question.id })).ok).toBe(true);
    await counted;
    // The phone learns that it is hidden, never what it said.
    expect(await vanished).toMatchObject({ hidden: true, text: '', name: '' });
    const late = await audience(server.url, 'moderation-late');
    sockets.push(late.socket);
    expect(late.snapshot.hiddenQuestions).toBe(1);
    expect(late.snapshot.questions).toEqual([]);

    const restored = waitForEvent(other.socket, 'questions:hidden', ({ count }) => count === 0);
    await desk.socket.emitWithAck('question:hide', { id: asked.question.id, hidden: false });
    await restored;
  });

  it('holds questions for the console in review mode (front matter), then shows approved ones and hides refused ones', async () => {
    server = await start({ talkFile: talkFile('moderation: review') });
    const { desk, asker, other } = await room();
    expect(other.snapshot.review).toBe(true);
    let otherHeard = 0;
    other.socket.on('question:updated', () => otherHeard++);

    const presenterHeard = waitForEvent(desk.socket, 'question:updated', (question) => question.pending);
    const held = await asker.socket.emitWithAck('question:ask', { text: 'Will this be approved?' });
    if (!held.ok) throw new Error(held.error.message);
    expect(held.question).toMatchObject({ pending: true, hidden: false });
    await presenterHeard;
    // Nobody else can see it or vote for it; its asker still finds it after a reload.
    expect(await other.socket.emitWithAck('question:vote', { id: held.question.id, up: true })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const askerAgain = await audience(server.url, 'moderation-asker');
    sockets.push(askerAgain.socket);
    expect(askerAgain.snapshot.questions.map((question) => question.id)).toEqual([held.question.id]);
    expect((await audience(server.url, 'moderation-stranger')).snapshot.questions).toEqual([]);

    const shown = waitForEvent(other.socket, 'question:updated', (question) => question.id === held.question.id && !question.pending);
    expect(await desk.socket.emitWithAck('question:review', { id: held.question.id, approve: true })).toMatchObject({
      ok: true,
      question: { pending: false, hidden: false },
    });
    expect(await shown).toMatchObject({ text: 'Will this be approved?' });
    expect(otherHeard).toBe(1);
    // Reviewed once: a second answer is a conflict, not a silent flip.
    expect(await desk.socket.emitWithAck('question:review', { id: held.question.id, approve: false })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });

    const spam = await asker.socket.emitWithAck('question:ask', { text: 'Buy my product' });
    if (!spam.ok) throw new Error(spam.error.message);
    const counted = waitForEvent(other.socket, 'questions:hidden', ({ count }) => count === 1);
    expect(await desk.socket.emitWithAck('question:review', { id: spam.question.id, approve: false })).toMatchObject({
      ok: true,
      question: { pending: false, hidden: true },
    });
    await counted;

    // The console's toggle turns review off for everyone; the next question goes straight to the room.
    const toggled = waitForEvent(other.socket, 'moderation:changed', ({ review }) => !review);
    expect(await desk.socket.emitWithAck('moderation:review', { review: false })).toEqual({ ok: true, review: false });
    await toggled;
    const open = waitForEvent(other.socket, 'question:updated', (question) => question.text === 'Straight to the room');
    const direct = await asker.socket.emitWithAck('question:ask', { text: 'Straight to the room' });
    expect(direct).toMatchObject({ ok: true, question: { pending: false } });
    await open;
  });

  it('refuses review answers and the review toggle from phones', async () => {
    server = await start();
    const { asker } = await room();
    expect(await asker.socket.emitWithAck('moderation:review', { review: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await asker.socket.emitWithAck('question:review', { id: 1, approve: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('offers only the reactions the talk chooses, and says whether the projector counts phones', async () => {
    server = await start({ talkFile: talkFile('reactions: [👏, 🤯]\naudience-count: false') });
    const talk = (await (await fetch(`${server.url}/api/talk`)).json()) as PublicTalk;
    expect(talk.options).toEqual({ reactions: ['👏', '🤯'], audienceCount: false, moderation: 'open' });
    const { asker } = await room();
    expect(await asker.socket.emitWithAck('reaction:send', { emoji: '👏' })).toEqual({ ok: true });
    expect(await asker.socket.emitWithAck('reaction:send', { emoji: '👍' })).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: 'this talk takes 👏 🤯' },
    });
    await server.close();

    server = await start({ talkFile: talkFile('reactions: none') });
    const quiet = await audience(server.url, 'moderation-quiet');
    sockets.push(quiet.socket);
    expect(await quiet.socket.emitWithAck('reaction:send', { emoji: '👏' })).toMatchObject({ ok: false, error: { message: 'this talk takes no reactions' } });
  });
});
