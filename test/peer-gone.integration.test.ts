/**
 * Scaled out, a process killed after it committed a chat message or a
 * question and before it broadcast it (its phones' batch window still
 * open): the phones and presenter screens on the surviving process still get
 * it, once, when that process notices the other is gone (peer-loss.ts).
 *
 * Two livedeck servers in this process share a real redis-server, so that
 * the test can cut process A off at the moment its commit returns: from then
 * on nothing A publishes reaches Redis (no broadcast, no audience report),
 * which is what the other process sees of a SIGKILL at that moment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../demo-server/server.js';
import { PEER_AUDIENCE_TTL_MS } from '../demo-server/realtime/peers.js';
import type { ChatMessage, Question } from '../src/shared/protocol.js';
import { audience, presenter, recordEvents, serverFixture, until, type TestClient } from './helpers.js';
import { startRedis, type TestRedis } from './redis-server.js';

/** A hang guard: two servers start in this process, each opening its Redis connections. */
const TEST_TIMEOUT = 90_000;
/** Long enough for the survivor to notice the silence (PEER_AUDIENCE_TTL_MS, checked once a second) on a loaded machine. */
const NOTICED_WITHIN_MS = PEER_AUDIENCE_TTL_MS + 25_000;

/** From the moment `storage[method]` returns a commit, nothing `server` publishes leaves the process, as if it died then. */
function dieAfterCommit(server: LiveDeckServer, method: 'addChat' | 'addQuestion'): { died: Promise<void> } {
  const storage = server.room.storage as unknown as Record<typeof method, (...args: unknown[]) => Promise<unknown>>;
  const adapter = server.io.of('/').adapter as unknown as { publishAndReturnOffset(message: unknown): Promise<string> };
  const commit = storage[method].bind(storage);
  let died: () => void = () => {};
  const dead = new Promise<void>((resolve) => (died = resolve));
  storage[method] = async (...args) => {
    const committed = await commit(...args);
    // Before the handler goes on to broadcast it: nothing reaches the stream or the pub/sub channel any more.
    adapter.publishAndReturnOffset = () => new Promise<string>(() => {});
    died();
    return committed;
  };
  return { died: dead };
}

describe('a process gone before it broadcast what it committed', { timeout: TEST_TIMEOUT }, () => {
  const { sockets, start } = serverFixture();
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.destroy());

  /** Two servers on one Redis, a phone and a presenter screen on B, a phone on A that will send; B knows A is there. */
  async function room(prefix: string) {
    const a = await start({ redisUrl: redis.url });
    const b = await start({ redisUrl: redis.url });
    const phone = await audience(b.url, `${prefix}phone-b`);
    const screen = await presenter(b.url);
    const senderOnA = await audience(a.url, `${prefix}sender-a`);
    const senderOnB = await audience(b.url, `${prefix}sender-b`);
    sockets.push(phone.socket, screen.socket, senderOnA.socket, senderOnB.socket);
    // B counts A's phone: it has heard A's reports, so it can notice when they stop.
    await until(() => b.room.roomAudience === 3, 'B to hear A’s audience report');
    return { a, b, phone: phone.socket, screen: screen.socket, senderOnA: senderOnA.socket, senderOnB: senderOnB.socket };
  }

  /** Every chat message and question update a socket hears from now on, by id. */
  function heard(socket: TestClient) {
    const chat = recordEvents(socket, 'chat:message');
    const questions = recordEvents(socket, 'question:updated');
    return {
      chat: (id: number) => chat.received.filter((message: ChatMessage) => message.id === id).length,
      questions: (id: number) => questions.received.filter((question: Question) => question.id === id),
    };
  }

  it('a chat message A stored but never broadcast reaches B’s phones and presenter screens once A is gone, once', async () => {
    const { a, phone, screen, senderOnA, senderOnB } = await room('gone-chat-');
    const onPhone = heard(phone);
    const onScreen = heard(screen);
    const { died } = dieAfterCommit(a, 'addChat');

    // A has the message committed and dies: its sender's ack, which a killed process never sends, is not waited for.
    senderOnA.emit('chat:send', { text: 'committed on A, then SIGKILL' }, () => {});
    await died;
    const stored = async () => (await a.room.storage.recentChat(a.room.sessionId, 5)).find((message) => message.text === 'committed on A, then SIGKILL');
    await until(async () => (await stored()) !== undefined, 'the message in the store');
    const { id } = (await stored())!;

    await until(() => onPhone.chat(id) > 0 && onScreen.chat(id) > 0, 'the message on B’s phone and presenter screen', NOTICED_WITHIN_MS);
    // A later message reaches both after anything else B would send about the first: it came once.
    const later = await senderOnB.emitWithAck('chat:send', { text: 'later, on B' });
    if (!later.ok) throw new Error(later.error.message);
    await until(() => onPhone.chat(later.message.id) > 0 && onScreen.chat(later.message.id) > 0, 'the later message');
    expect([onPhone.chat(id), onScreen.chat(id)]).toEqual([1, 1]);
  });

  it('a question A stored but never broadcast reaches B’s phones and presenter screens once A is gone', async () => {
    const { a, phone, screen, senderOnA, senderOnB } = await room('gone-question-');
    const onPhone = heard(phone);
    const onScreen = heard(screen);
    const { died } = dieAfterCommit(a, 'addQuestion');

    senderOnA.emit('question:ask', { text: 'asked on A, then SIGKILL' }, () => {});
    await died;
    const stored = async () => (await a.room.storage.listQuestions(a.room.sessionId)).find((question) => question.text === 'asked on A, then SIGKILL');
    await until(async () => (await stored()) !== undefined, 'the question in the store');
    const { id } = (await stored())!;

    await until(
      () => onPhone.questions(id).length > 0 && onScreen.questions(id).length > 0,
      'the question on B’s phone and presenter screen',
      NOTICED_WITHIN_MS,
    );
    const later = await senderOnB.emitWithAck('chat:send', { text: 'later, on B' });
    if (!later.ok) throw new Error(later.error.message);
    await until(() => onPhone.chat(later.message.id) > 0 && onScreen.chat(later.message.id) > 0, 'the later message');
    expect(onPhone.questions(id)).toEqual([expect.objectContaining({ id, text: 'asked on A, then SIGKILL', votes: 1 })]);
    expect(onScreen.questions(id)).toEqual([expect.objectContaining({ id, text: 'asked on A, then SIGKILL', votes: 1 })]);
  });
});
