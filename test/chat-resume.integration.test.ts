/**
 * A phone's chat resumes without a gap when its process dies and its next
 * connections go to another one (two real livedeck processes sharing a real
 * redis-server), driven by the page's own socket layer (src/lib/socket.ts)
 * and resume point (src/lib/chat-resume.ts).
 *
 * The case the two-process soak hit: on the survivor, the room's traffic
 * reaches the phone from its join, and under load its snapshot (the chat it
 * missed) can take seconds to follow. If the connection drops in between,
 * the phone must not resume from the newer message it heard meanwhile, nor
 * take a restored connection for a caught-up one.
 *
 * And the case of the soak's churned phone: a connection restored by
 * Socket.IO across processes, after the phone heard its own process's newer
 * message before the other process's older one (still in the Redis stream
 * reader's hands) and dropped in between.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followChat, type ChatResume } from '../src/lib/chat-resume.js';
import { connect } from '../src/lib/socket.js';
import { audience, holdRelay, serverFixture, until, waitForEvent, type RelayedMessage } from './helpers.js';
import { PROCESS_TEST_TIMEOUT, scaledOutFixture, type ServerProcess } from './process.js';
import { startRedis, type TestRedis } from './redis-server.js';

/** More than the ids a scaled-out snapshot repeats before `lastChatId` (room-snapshots.ts). */
const MISSED = 25;

describe('chat resume across processes', { timeout: PROCESS_TEST_TIMEOUT }, () => {
  const fixture = scaledOutFixture();

  it('a phone moved from a killed process loses nothing when its first connection to the survivor drops before its snapshot', async () => {
    const [a, b] = fixture.servers as [ServerProcess, ServerProcess];
    // Senders on B, taking turns within each one's chat budget (5 lines in 10 s).
    const senders = await Promise.all(Array.from({ length: 6 }, (_, i) => audience(b.url, `resume-sender-0${i}`)));
    fixture.sockets.push(...senders.map((sender) => sender.socket));
    let sent = 0;
    const send = async (text: string) => {
      const reply = await senders[Math.floor(sent++ / 5)]!.socket.emitWithAck('chat:send', { text });
      if (!reply.ok) throw new Error(reply.error.message);
    };

    // As the phone page does (src/audience/main.ts, room.ts): every (re)connection sends the current resume point.
    const page: { resume?: ChatResume } = {};
    const phone = connect(() => {
      const lastChatId = page.resume?.lastChatId;
      return { role: 'audience', clientId: 'resume-phone-0001', ...(lastChatId !== undefined ? { lastChatId } : {}) };
    }, a.url);
    fixture.sockets.push(phone);
    page.resume = followChat(phone);
    const heard = new Set<string>();
    phone.on('chat:message', (message) => heard.add(message.text));
    phone.on('snapshot', (snapshot) => snapshot.chat.forEach((message) => heard.add(message.text)));

    // The network loses what the survivor sends after the join while this is set: the snapshot still on its way.
    const manager = phone.io as unknown as { uri: string; opts: { port?: string }; ondata: (data: unknown) => void };
    const ondata = manager.ondata;
    let snapshotsLost = 0;
    let loseSnapshots = false;
    manager.ondata = function (this: unknown, data: unknown) {
      if (loseSnapshots && typeof data === 'string' && data.startsWith('2["snapshot"')) snapshotsLost++;
      else ondata.call(this, data);
    };

    await waitForEvent(phone, 'snapshot', () => true);
    await send('before the crash');
    await until(() => heard.has('before the crash'), 'the first message on A');

    const dropped = new Promise((resolve) => phone.once('disconnect', resolve));
    a.child.kill('SIGKILL');
    await a.exited;
    await dropped;
    for (let i = 1; i <= MISSED; i++) await send(`while away ${i}`);

    // A load balancer sends the phone's next attempts to B, which cannot restore a connection A never wrote.
    loseSnapshots = true;
    manager.uri = b.url;
    manager.opts.port = new URL(b.url).port;
    // B sent the snapshot (it follows the join): a message now reaches the phone as it would before a slow snapshot.
    await until(() => snapshotsLost > 0, 'the phone joined on B');
    await send('heard before the snapshot');
    await until(() => heard.has('heard before the snapshot'), 'a live message on B');

    // The connection drops before the snapshot arrives; Socket.IO reconnects by itself, to B.
    loseSnapshots = false;
    phone.io.engine.close();

    const missed = Array.from({ length: MISSED }, (_, i) => `while away ${i + 1}`);
    await until(() => missed.every((text) => heard.has(text)), 'every message sent while the phone was away');
    expect(missed.filter((text) => !heard.has(text))).toEqual([]);
  });
});

/** A hang guard: two servers start in this process, each opening its Redis connections. */
const RESTORE_TEST_TIMEOUT = 90_000;

describe('a restored connection across processes', { timeout: RESTORE_TEST_TIMEOUT }, () => {
  const { sockets, start } = serverFixture();
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.destroy());

  it('a phone that heard its own process’s newer message before the other’s older one, then dropped, ends up with both', async () => {
    // Two livedeck servers sharing a real redis-server, in this process so that the test can slow A's stream reader.
    const a = await start({ redisUrl: redis.url });
    const b = await start({ redisUrl: redis.url });
    const senderOnA = await audience(a.url, 'order-sender-a1');
    const senderOnB = await audience(b.url, 'order-sender-b1');
    sockets.push(senderOnA.socket, senderOnB.socket);

    // The phone on A, as the page runs it (src/lib/socket.ts, src/lib/chat-resume.ts).
    const page: { resume?: ChatResume } = {};
    const phone = connect(() => {
      const lastChatId = page.resume?.lastChatId;
      return { role: 'audience', clientId: 'order-phone-0001', ...(lastChatId !== undefined ? { lastChatId } : {}) };
    }, a.url);
    sockets.push(phone);
    page.resume = followChat(phone);
    const heard = new Set<string>();
    phone.on('chat:message', (message) => heard.add(message.text));
    phone.on('snapshot', (snapshot) => snapshot.chat.forEach((message) => heard.add(message.text)));
    await waitForEvent(phone, 'snapshot', () => true);
    // A packet from the stream gives the phone a recovery offset.
    expect(await senderOnB.socket.emitWithAck('chat:send', { text: 'warm-up' })).toMatchObject({ ok: true });
    await until(() => heard.has('warm-up'), 'the first message on the phone');

    // What A reads from the stream waits, in order, as if its stream reader's XREAD were slow to come back.
    const relay = holdRelay(a, () => true);
    // And A says when it has appended a packet to the stream.
    const adapter = a.io.of('/').adapter as unknown as { publishAndReturnOffset(message: RelayedMessage): Promise<string> };
    const publish = adapter.publishAndReturnOffset.bind(adapter);
    let appendedOnA: (message: RelayedMessage) => void = () => {};
    adapter.publishAndReturnOffset = async (message) => {
      const offset = await publish(message);
      appendedOnA(message);
      return offset;
    };
    // The phones' batch carrying a message (presenter screens get it in a packet of its own, appended first).
    const batchWith = (text: string) => (message: RelayedMessage) => {
      const packet = JSON.stringify(message.data?.packet ?? null);
      return packet.includes('"room:batch"') && packet.includes(text);
    };

    const older = await senderOnB.socket.emitWithAck('chat:send', { text: 'stored first, on B' });
    if (!older.ok) throw new Error(older.error.message);
    await until(() => relay.holds(batchWith('stored first, on B')), 'B’s batch read by A, still on its way');
    const newerAppended = new Promise<void>((resolve) => (appendedOnA = (message) => batchWith('stored second, on A')(message) && resolve()));
    const newer = await senderOnA.socket.emitWithAck('chat:send', { text: 'stored second, on A' });
    if (!newer.ok) throw new Error(newer.error.message);
    expect(newer.message.id).toBeGreaterThan(older.message.id);
    await newerAppended;
    // Whatever A sends its phones right after the append has left once this turn of the event loop is over.
    await new Promise((resolve) => setImmediate(resolve));

    // The phone's connection drops (A closes it: what A wrote before reaches the phone first), then A's reader catches up.
    const dropped = new Promise((resolve) => phone.once('disconnect', resolve));
    const back = new Promise<boolean>((resolve) => phone.once('connect', () => resolve(phone.recovered)));
    [...a.io.of('/').sockets.values()].find((socket) => socket.data.clientId === 'order-phone-0001')!.conn.close();
    await dropped;
    // The gap: restored from the newer packet's offset, the connection would never be sent the older one.
    expect([heard.has('stored second, on A'), heard.has('stored first, on B')]).toEqual([true, false]);
    relay.release();

    expect(await back).toBe(true);
    await until(() => heard.has('stored first, on B') && heard.has('stored second, on A'), 'both messages on the phone');
  });
});
