/**
 * A phone's stores against a snapshot read before what the phone heard in
 * its batches and events: the server reads the snapshot, a vote, a question,
 * a poll vote or a slide move goes out and reaches the phone, then the
 * (older) snapshot arrives. Real server, real sockets, the stores the phone
 * runs (room panel, polls, live slide); the window is held open by delaying
 * the snapshot's delivery until the phone heard the change.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../demo-server/options.js';
import type { LiveDeckServer } from '../demo-server/server.js';
import type { SlideState } from '../src/shared/protocol.js';
import { RoomStore } from '../src/audience/room-store.js';
import { followLivePosition } from '../src/lib/live-position.js';
import { unpackBatches } from '../src/lib/room-batch.js';
import { PollStore } from '../src/widgets/poll-store.js';
import { audience, closeAll, holdNextSnapshot, presenter, startServer, waitForEvent, type TestClient, unconnectedClient } from './helpers.js';

const TOUR = path.join(PROJECT_ROOT, 'slides', 'widgets-tour.md');
const POLL = 'tour-language';

describe('a snapshot read before what a phone heard', () => {
  let server: LiveDeckServer;
  const sockets: TestClient[] = [];
  afterEach(async () => {
    closeAll(...sockets.splice(0));
    await server?.close();
  });

  const holdPhoneSnapshot = (clientId: string, meanwhile: () => Promise<unknown>) => holdNextSnapshot(server, (data) => data.clientId === clientId, meanwhile);

  /** A phone's socket with the phone's stores attached before it connects, as the phone page does. */
  function openPhone(clientId: string) {
    const socket: TestClient = unconnectedClient(server.url, { role: 'audience', clientId });
    sockets.push(socket);
    unpackBatches(socket);
    const room = new RoomStore();
    room.attach(socket);
    const polls = new PollStore(socket);
    let slide: SlideState | undefined;
    followLivePosition(socket, { slide: (live) => (slide = live) });
    let snapshots = 0;
    socket.on('snapshot', () => snapshots++);
    socket.connect();
    return { socket, room, polls, slide: () => slide, snapshots: () => snapshots };
  }

  it('keeps a vote and a question that reached a joining phone in a batch before its older snapshot', async () => {
    server = await startServer();
    const asker = await audience(server.url, 'phone-rev-asker-1');
    const voter = await audience(server.url, 'phone-rev-voter-1');
    sockets.push(asker.socket, voter.socket);
    const asked = await asker.socket.emitWithAck('question:ask', { text: 'Which one is newer?' });
    if (!asked.ok) throw new Error(asked.error.message);
    const { id, votes } = asked.question;

    let heard: Promise<unknown> = Promise.resolve();
    const { raced } = holdPhoneSnapshot('phone-rev-joiner-1', async () => {
      await voter.socket.emitWithAck('question:vote', { id, up: true });
      await asker.socket.emitWithAck('question:ask', { text: 'Asked while the snapshot was on its way' });
      await heard;
    });
    const phone = openPhone('phone-rev-joiner-1');
    heard = Promise.all([
      waitForEvent(phone.socket, 'question:updated', (question) => question.id === id && question.votes === votes + 1),
      waitForEvent(phone.socket, 'question:updated', (question) => question.text.startsWith('Asked while')),
    ]);
    await raced;
    await expect.poll(() => phone.snapshots()).toBe(1);
    expect(phone.room.view.questions.get(id)?.votes).toBe(votes + 1);
    expect([...phone.room.view.questions.values()].map((question) => question.text)).toContain('Asked while the snapshot was on its way');
    expect(phone.room.questionsTotal).toBe(2);
  });

  it('keeps a slide move and a poll vote a reconnecting phone heard before its fresh, older snapshot', async () => {
    server = await startServer({ talkFile: TOUR });
    const boss = await presenter(server.url);
    const voter = await audience(server.url, 'phone-rev-voter-2');
    sockets.push(boss.socket, voter.socket);
    const phone = openPhone('phone-rev-reconnect-2');
    await expect.poll(() => phone.snapshots()).toBe(1);
    expect(phone.polls.poll(POLL)?.total).toBe(0);

    const { raced } = holdPhoneSnapshot('phone-rev-reconnect-2', async () => {
      const moved = waitForEvent(phone.socket, 'slide:changed', (slide) => slide.h === 3);
      const counted = waitForEvent(phone.socket, 'poll:results', (results) => results.poll === POLL && results.total === 1);
      await boss.socket.emitWithAck('slide:set', { h: 3, v: 0, f: -1 });
      await voter.socket.emitWithAck('poll:vote', { poll: POLL, option: 1 });
      await Promise.all([moved, counted]);
    });
    // The phone reconnects afresh (as after an unanswered request: src/lib/socket.ts resync) for a new snapshot.
    phone.socket.disconnect().connect();
    await raced;
    await expect.poll(() => phone.snapshots()).toBe(2);
    expect(phone.slide()).toMatchObject({ h: 3, seq: 1 });
    expect(phone.polls.poll(POLL)).toMatchObject({ total: 1, counts: [0, 1, 0, 0] });
  });
});
