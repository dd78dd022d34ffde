/**
 * Scaled out, a screen that joins one process while another process's
 * control change (chat lock, pause, spotlight, review mode) is still on its
 * way there. Two real server instances in this test process share a real
 * redis-server, so the test can hold back what B hears from A (the
 * adapter's relay) and let a phone and a console join B inside that window,
 * then let it through: what the screens' own stores show must be the
 * change, whichever of the change's two relays (its announcement to B, its
 * event to B's screens) is late.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../demo-server/server.js';
import { RoomStore } from '../src/audience/room-store.js';
import { ConsoleStore } from '../src/console/console-store.js';
import { ServerClock } from '../src/console/server-clock.js';
import { followLivePosition } from '../src/lib/live-position.js';
import { unpackBatches } from '../src/lib/room-batch.js';
import type { FollowPause } from '../src/shared/protocol.js';
import {
  audience,
  closeAll,
  holdRelay,
  presenter,
  startServer,
  TEST_TOKEN,
  until,
  waitForEvent,
  type RelayedMessage,
  type TestClient,
  unconnectedClient,
} from './helpers.js';
import { startRedis, type TestRedis } from './redis-server.js';

const isAnnouncement = (message: RelayedMessage) => Array.isArray(message.data?.packet) && message.data.packet[0] === 'peer:control';

/** A hang guard for a loaded machine, not a speed check: two servers and a redis-server start in beforeAll. */
const LOADED_MACHINE_MS = 120_000;

describe('scaled out: a screen joining while another process’s control change is on its way', { timeout: LOADED_MACHINE_MS }, () => {
  let redis: TestRedis;
  let a: LiveDeckServer;
  let b: LiveDeckServer;
  const sockets: TestClient[] = [];
  let release = () => {};

  beforeAll(async () => {
    redis = await startRedis();
    a = await startServer({ redisUrl: redis.url });
    b = await startServer({ redisUrl: redis.url });
  }, LOADED_MACHINE_MS);
  afterEach(() => {
    release();
    closeAll(...sockets.splice(0));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.destroy();
  });

  /** The presenter on A, in a fresh session that B follows, with a question to spotlight. */
  async function freshSession() {
    const boss = await presenter(a.url);
    sockets.push(boss.socket);
    const started = await boss.socket.emitWithAck('session:start', {});
    if (!started.ok) throw new Error(started.error.message);
    await until(() => b.room.sessionId === started.sessionId, 'B follows the new session');
    const asked = await boss.socket.emitWithAck('question:ask', { text: 'Which process holds the truth?' });
    if (!asked.ok) throw new Error(asked.error.message);
    return { boss: boss.socket, question: asked.question.id };
  }

  /** Pause, chat lock, spotlight and review mode, changed on A. */
  async function changeOnA(boss: TestClient, question: number) {
    for (const reply of [
      await boss.emitWithAck('chat:lock', { locked: true }),
      await boss.emitWithAck('follow:pause', { message: 'Back in five' }),
      await boss.emitWithAck('question:spotlight', { id: question }),
      await boss.emitWithAck('moderation:review', { review: true }),
    ]) {
      if (!reply.ok) throw new Error(reply.error.message);
    }
  }

  /** A phone on B with the phone page's stores (room panel, live position), attached before it connects. */
  function phoneOnB(clientId: string) {
    const socket: TestClient = unconnectedClient(b.url, { role: 'audience', clientId });
    sockets.push(socket);
    unpackBatches(socket);
    const room = new RoomStore();
    room.attach(socket);
    let paused: FollowPause | null | undefined;
    followLivePosition(socket, { slide: () => {}, paused: (pause) => (paused = pause) });
    let snapshots = 0;
    socket.on('snapshot', () => snapshots++);
    socket.connect();
    return { socket, room, paused: () => paused, snapshots: () => snapshots };
  }

  /** A console on B with its store, attached before it connects. */
  function consoleOnB() {
    const socket: TestClient = unconnectedClient(b.url, { role: 'presenter', token: TEST_TOKEN, name: 'Co-host' });
    sockets.push(socket);
    const store = new ConsoleStore(new ServerClock());
    store.attach(socket);
    let snapshots = 0;
    socket.on('snapshot', () => snapshots++);
    socket.connect();
    return { socket, store, snapshots: () => snapshots };
  }

  /** Every one of the four changes' events, as the screen hears them (a phone's may ride in a batch). */
  const allHeard = (socket: TestClient) =>
    Promise.all([
      waitForEvent(socket, 'chat:locked', ({ locked }) => locked, 15_000),
      waitForEvent(socket, 'screen:changed', ({ paused }) => paused !== null, 15_000),
      waitForEvent(socket, 'question:spotlight', ({ id }) => id !== null, 15_000),
      waitForEvent(socket, 'moderation:changed', ({ review }) => review, 15_000),
    ]);

  /** What the phone's and the console's stores show of the four changes. */
  function shown(phone: ReturnType<typeof phoneOnB>, desk: ReturnType<typeof consoleOnB>) {
    const { room, review, paused } = desk.store.state;
    return {
      phone: { chatLocked: phone.room.view.chatLocked, spotlight: phone.room.view.spotlight, review: phone.room.review, paused: phone.paused() },
      console: { chatLocked: room.chatLocked, spotlight: room.spotlight, review, paused },
    };
  }

  function expectChanged(phone: ReturnType<typeof phoneOnB>, desk: ReturnType<typeof consoleOnB>, question: number) {
    const changed = { chatLocked: true, spotlight: question, review: true, paused: { message: 'Back in five' } };
    expect(shown(phone, desk)).toEqual({ phone: changed, console: changed });
  }

  it('a phone and a console that join B before it heard of A’s change show the change once its event arrives', async () => {
    const { boss, question } = await freshSession();
    // Nothing from A reaches B: neither the announcement that the control state changed, nor the change's events.
    const relay = holdRelay(b, () => true);
    release = relay.release;
    await changeOnA(boss, question);
    // Their snapshots are read on B after A's change went out, so with revisions later than its events.
    const phone = phoneOnB('control-order-phone-1');
    await until(() => phone.snapshots() === 1, 'the phone’s snapshot from B');
    const desk = consoleOnB();
    await until(() => desk.snapshots() === 1, 'the console’s snapshot from B');
    const heard = Promise.all([allHeard(phone.socket), allHeard(desk.socket)]);
    expect(relay.held()).toBeGreaterThan(0);
    relay.release();
    await heard;
    expectChanged(phone, desk, question);
  });

  it('a phone and a console that join B after the change’s events went by, before B heard it was made, still get it', async () => {
    const { boss, question } = await freshSession();
    // B's screens hear A's events; B itself is not told that the control state changed.
    const relay = holdRelay(b, isAnnouncement);
    release = relay.release;
    const witness = await audience(b.url, 'control-order-witness-2');
    sockets.push(witness.socket);
    const passed = allHeard(witness.socket);
    await changeOnA(boss, question);
    await passed;
    const phone = phoneOnB('control-order-phone-2');
    await until(() => phone.snapshots() === 1, 'the phone’s snapshot from B');
    const desk = consoleOnB();
    await until(() => desk.snapshots() === 1, 'the console’s snapshot from B');
    expect(relay.held()).toBeGreaterThan(0);
    expectChanged(phone, desk, question);
  });
});
