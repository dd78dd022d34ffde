/**
 * DeckSync against a real server and real socket.io-client sockets; only the
 * deck is a stand-in (an object holding a position, firing moves the way
 * Reveal does: synchronously, from inside `go`).
 */
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../../demo-server/server.js';
import { closeAll, presenter, startServer, TEST_TOKEN, type TestClient } from '../../test/helpers.js';
import type { SlidePosition } from '../shared/protocol.js';
import { DeckSync, type SyncedDeck } from './deck-sync.js';

class FakeDeck implements SyncedDeck {
  private current: SlidePosition = { h: 0, v: 0, f: -1 };
  private readonly listeners: Array<() => void> = [];
  /** Every position DeckSync moved the deck to. */
  readonly applied: SlidePosition[] = [];

  position(): SlidePosition {
    return this.current;
  }

  /** DeckSync moves the deck (a remote move). */
  go(position: SlidePosition): void {
    this.applied.push({ h: position.h, v: position.v, f: position.f });
    this.set(position);
  }

  onMove(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The presenter moves the deck (a key press). */
  move(position: SlidePosition): void {
    this.set(position);
  }

  private set(position: SlidePosition): void {
    this.current = { h: position.h, v: position.v, f: position.f };
    for (const listener of this.listeners) listener();
  }
}

describe('DeckSync', () => {
  let server: LiveDeckServer;
  const sockets: TestClient[] = [];

  beforeAll(async () => {
    server = await startServer();
  });
  beforeEach(async () => {
    await server.room.changeControl({ type: 'slide:set', position: { h: 0, v: 0, f: -1 } });
  });
  afterEach(() => closeAll(...sockets.splice(0)));
  afterAll(async () => {
    await server?.close();
  });

  /** A presenter surface as the page builds it: reconnects by itself. */
  async function surface() {
    const socket: TestClient = io(server.url, {
      auth: { role: 'presenter', token: TEST_TOKEN },
      transports: ['websocket'],
      reconnectionDelay: 50,
      reconnectionDelayMax: 100,
      forceNew: true,
    });
    sockets.push(socket);
    const deck = new FakeDeck();
    const errors: string[] = [];
    new DeckSync(socket, deck, (message) => errors.push(message));
    await new Promise((resolve) => socket.once('snapshot', resolve));
    return { socket, deck, errors };
  }

  async function console() {
    const boss = await presenter(server.url);
    sockets.push(boss.socket);
    return boss.socket;
  }

  it('sends local moves, and is not dragged back by the echoes of a quick "next, next, back"', async () => {
    const projector = await surface();
    const watcher = await console();
    const heard: number[] = [];
    watcher.on('slide:changed', (slide) => heard.push(slide.h));

    projector.deck.move({ h: 1, v: 0, f: -1 });
    projector.deck.move({ h: 2, v: 0, f: -1 });
    projector.deck.move({ h: 1, v: 0, f: -1 });
    await expect.poll(() => heard).toEqual([1, 2, 1]);
    // The last echo has arrived: had any of them been applied, the deck would have been moved.
    expect(projector.deck.applied).toEqual([]);
    expect(projector.deck.position()).toEqual({ h: 1, v: 0, f: -1 });
    expect(projector.errors).toEqual([]);
  });

  it('applies moves made elsewhere, and reports a refused move', async () => {
    const projector = await surface();
    const desk = await console();
    expect(await desk.emitWithAck('slide:set', { h: 3, v: 0, f: -1 })).toMatchObject({ ok: true });
    await expect.poll(() => projector.deck.position()).toEqual({ h: 3, v: 0, f: -1 });

    projector.deck.move({ h: 90, v: 0, f: -1 });
    await expect.poll(() => projector.errors).toEqual(['The deck has no slide 90/0.']);
    // The refusal released the move: the next one from elsewhere is applied.
    expect(await desk.emitWithAck('slide:set', { h: 1, v: 0, f: -1 })).toMatchObject({ ok: true });
    await expect.poll(() => projector.deck.position()).toEqual({ h: 1, v: 0, f: -1 });
  });

  it('follows a drop with a move in flight: after a recovered reconnection the console still moves the projector', async () => {
    const projector = await surface();
    const desk = await console();
    const start = server.room.control.slide;

    // A move, and the network drops before its ack can arrive.
    const dropped = new Promise((resolve) => projector.socket.once('disconnect', resolve));
    projector.deck.move({ h: 1, v: 0, f: -1 });
    projector.socket.io.engine.close();
    await dropped;
    await new Promise<void>((resolve) => projector.socket.once('connect', () => resolve()));
    // Connection state recovery: no snapshot, so nothing else resets DeckSync.
    expect(projector.socket.recovered).toBe(true);
    await expect.poll(() => server.room.control.slide.seq).toBe(start.seq + 1);

    expect(await desk.emitWithAck('slide:set', { h: 2, v: 0, f: -1 })).toMatchObject({ ok: true });
    await expect.poll(() => projector.deck.position()).toEqual({ h: 2, v: 0, f: -1 });
    // The presenter's next move goes out again.
    projector.deck.move({ h: 3, v: 0, f: -1 });
    await expect.poll(() => server.room.control.slide).toMatchObject({ h: 3, v: 0, f: -1 });
  });
});
