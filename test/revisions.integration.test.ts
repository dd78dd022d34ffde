/**
 * A console's stores against a snapshot read before an event they heard:
 * the server reads the snapshot, a change commits and its event goes out,
 * then the (older) snapshot arrives. Real server, real sockets, the stores
 * the console runs; the window is held open by delaying the snapshot's
 * delivery until the change has gone out.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../demo-server/options.js';
import type { LiveDeckServer } from '../demo-server/server.js';
import { ConsoleStore } from '../src/console/console-store.js';
import { ServerClock } from '../src/console/server-clock.js';
import { PollStore } from '../src/widgets/poll-store.js';
import { audience, closeAll, holdNextSnapshot, startServer, TEST_TOKEN, waitForEvent, type TestClient, unconnectedClient } from './helpers.js';

const TOUR = path.join(PROJECT_ROOT, 'slides', 'widgets-tour.md');
const TEXT = 'tour-next-talk';

describe('a snapshot read before an event the console heard', () => {
  let server: LiveDeckServer;
  const sockets: TestClient[] = [];
  afterEach(async () => {
    closeAll(...sockets.splice(0));
    await server?.close();
  });

  const holdNextPresenterSnapshot = (meanwhile: () => Promise<unknown>) => holdNextSnapshot(server, (data) => data.role === 'presenter', meanwhile);

  /** A console's socket with its stores attached before it connects, as the console page does. */
  function openConsole() {
    const socket: TestClient = unconnectedClient(server.url, { role: 'presenter', token: TEST_TOKEN });
    sockets.push(socket);
    const store = new ConsoleStore(new ServerClock());
    store.attach(socket);
    const polls = new PollStore(socket);
    let snapshots = 0;
    socket.on('snapshot', () => snapshots++);
    socket.connect();
    return { socket, store, polls, snapshots: () => snapshots };
  }

  it('keeps a vote on a question that went out between the snapshot’s read and its delivery', async () => {
    server = await startServer();
    const asker = await audience(server.url, 'revision-asker-1');
    const voter = await audience(server.url, 'revision-voter-1');
    sockets.push(asker.socket, voter.socket);
    const asked = await asker.socket.emitWithAck('question:ask', { text: 'Which one is newer?' });
    if (!asked.ok) throw new Error(asked.error.message);
    const { id, votes } = asked.question;

    // The vote's update goes out coalesced (a quarter second later): the snapshot waits until the console heard it.
    let heard: Promise<unknown> = Promise.resolve();
    const { raced } = holdNextPresenterSnapshot(async () => {
      await voter.socket.emitWithAck('question:vote', { id, up: true });
      await heard;
    });
    const desk = openConsole();
    heard = waitForEvent(desk.socket, 'question:updated', (question) => question.id === id && question.votes === votes + 1);
    await raced;
    await expect.poll(() => desk.snapshots()).toBe(1);
    expect(desk.store.state.room.questions.get(id)?.votes).toBe(votes + 1);
  });

  it('keeps an open-text answer sent while a reconnecting console’s snapshot was on its way', async () => {
    server = await startServer({ talkFile: TOUR });
    const desk = openConsole();
    await expect.poll(() => desk.snapshots()).toBe(1);
    expect(desk.polls.text(TEXT)?.answers).toEqual([]);

    const phone = await audience(server.url, 'revision-answer-1');
    sockets.push(phone.socket);
    const { raced } = holdNextPresenterSnapshot(async () => {
      const heard = waitForEvent(desk.socket, 'text:answer', (answer) => answer.poll === TEXT);
      await phone.socket.emitWithAck('text:submit', { poll: TEXT, text: 'Heard before the snapshot' });
      await heard;
    });
    // The console reconnects afresh (as after an unanswered request: src/lib/socket.ts resync) for a new snapshot.
    desk.socket.disconnect().connect();
    await raced;
    await expect.poll(() => desk.snapshots()).toBe(2);
    expect(desk.polls.text(TEXT)?.answers?.map((answer) => answer.text)).toEqual(['Heard before the snapshot']);
  });
});
