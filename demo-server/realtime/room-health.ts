/**
 * The room as the phones see it, for the presenter's console: how long a
 * move takes to reach the phones' screens (p50 / p95), phones that
 * reconnected in the last minute, phones looking back, and which transport
 * the slowest ones use.
 *
 * Latency is measured from the phones without trusting their clocks: the
 * server notes when a move arrived and when it broadcast it; a sampled phone
 * reports right after drawing the slide, with its own drawing time. The
 * network's round trip is then (report received − broadcast − drawing), and
 * a phone saw the move (broadcast − move) + round trip / 2 + drawing after
 * the presenter made it. Phones sample themselves (about
 * HEALTH_SAMPLE_TARGET per move whatever the room's size), and the server
 * takes at most a few times that per move, so 10,000 phones cost little.
 *
 * Counted per process: scaled out, a console shows the phones of the
 * process it is connected to.
 */
import { HEALTH_SAMPLE_TARGET } from '../../src/shared/limits.js';
import type { RoomHealth as RoomHealthSummary } from '../../src/shared/protocol.js';
import type { LiveSocket } from './live-server.js';

/** Moves whose reports are still accepted, and how long after the broadcast. */
const MOVES_KEPT = 10;
const REPORT_WITHIN_MS = 60_000;
/** Reports accepted per move: sampling is the phones' own doing, this is the bound. */
const REPORTS_PER_MOVE = HEALTH_SAMPLE_TARGET * 3;
/** Latency is summed over the recent reports. */
const SAMPLE_WINDOW_MS = 2 * 60_000;
const SAMPLES_KEPT = 1000;
const RECONNECT_WINDOW_MS = 60_000;
/** A phone coming back within this long of leaving is a reconnect, not a newcomer. */
const RETURN_WITHIN_MS = 5 * 60_000;
const PUBLISH_EVERY_MS = 2000;

interface Move {
  seq: number;
  movedAt: number;
  sentAt: number;
  reports: number;
}

interface Sample {
  at: number;
  ms: number;
  transport: 'websocket' | 'polling';
}

export interface RoomHealthDeps {
  now: () => number;
  /** Phones in the room. */
  phones: () => number;
  /** Tells the presenters, when the summary changed. */
  publish: (health: RoomHealthSummary) => void;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export class RoomHealth {
  private moves: Move[] = [];
  private samples: Sample[] = [];
  private readonly behind = new Set<string>();
  /** clientId → when that person's last phone left. */
  private readonly left = new Map<string, number>();
  /** clientId → when that person last came back. */
  private readonly returned = new Map<string, number>();
  private published = '';
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly deps: RoomHealthDeps) {
    this.timer = setInterval(() => this.publish(), PUBLISH_EVERY_MS).unref();
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** The server broadcast slide `seq` now. */
  slideSent(seq: number): void {
    const now = this.deps.now();
    this.moves = [...this.moves.slice(1 - MOVES_KEPT), { seq, movedAt: now, sentAt: now, reports: 0 }];
  }

  /** The presenter's move that became `seq` reached the server at `movedAt` (before it was saved and sent). */
  moved(seq: number, movedAt: number): void {
    const move = this.moves.find((candidate) => candidate.seq === seq);
    if (move) move.movedAt = Math.min(movedAt, move.sentAt);
  }

  /** A sampled phone drew slide `seq`, `drawMs` after receiving it. */
  shown(socket: LiveSocket, seq: number, drawMs: number): void {
    const now = this.deps.now();
    const move = this.moves.find((candidate) => candidate.seq === seq);
    if (!move || move.reports >= REPORTS_PER_MOVE || now - move.sentAt > REPORT_WITHIN_MS) return;
    move.reports++;
    const roundTrip = Math.max(0, now - move.sentAt - drawMs);
    const ms = move.sentAt - move.movedAt + roundTrip / 2 + Math.min(drawMs, now - move.sentAt);
    const transport = socket.conn.transport.name === 'websocket' ? 'websocket' : 'polling';
    this.samples.push({ at: now, ms, transport });
    if (this.samples.length > SAMPLES_KEPT) this.samples = this.samples.slice(-SAMPLES_KEPT);
  }

  followState(socket: LiveSocket, behind: boolean): void {
    if (behind) this.behind.add(socket.id);
    else this.behind.delete(socket.id);
  }

  /** A phone connected: one that left a moment ago (or was restored by connection state recovery) reconnected. */
  phoneJoined(socket: LiveSocket): void {
    const now = this.deps.now();
    const { clientId } = socket.data;
    const leftAt = this.left.get(clientId);
    if (socket.recovered || (leftAt !== undefined && now - leftAt <= RETURN_WITHIN_MS)) this.returned.set(clientId, now);
    this.left.delete(clientId);
  }

  phoneLeft(socket: LiveSocket): void {
    this.behind.delete(socket.id);
    this.left.set(socket.data.clientId, this.deps.now());
  }

  summary(): RoomHealthSummary {
    const now = this.deps.now();
    this.forget(now);
    const recent = this.samples.filter((sample) => now - sample.at <= SAMPLE_WINDOW_MS);
    const sorted = recent.map((sample) => sample.ms).sort((a, b) => a - b);
    const threshold = sorted.length ? percentile(sorted, 90) : Infinity;
    const slowest = recent.filter((sample) => sample.ms >= threshold);
    let reconnected = 0;
    for (const at of this.returned.values()) if (now - at <= RECONNECT_WINDOW_MS) reconnected++;
    return {
      phones: this.deps.phones(),
      latency: sorted.length ? { p50: Math.round(percentile(sorted, 50)), p95: Math.round(percentile(sorted, 95)), samples: sorted.length } : null,
      reconnected,
      behind: this.behind.size,
      slowest: {
        websocket: slowest.filter((sample) => sample.transport === 'websocket').length,
        polling: slowest.filter((sample) => sample.transport === 'polling').length,
      },
    };
  }

  /** Bounded memory: people long gone and reconnects older than the window are dropped. */
  private forget(now: number): void {
    for (const [clientId, at] of this.left) if (now - at > RETURN_WITHIN_MS) this.left.delete(clientId);
    for (const [clientId, at] of this.returned) if (now - at > RECONNECT_WINDOW_MS) this.returned.delete(clientId);
    this.samples = this.samples.filter((sample) => now - sample.at <= SAMPLE_WINDOW_MS);
  }

  private publish(): void {
    const summary = this.summary();
    const key = JSON.stringify(summary);
    if (key === this.published) return;
    this.published = key;
    this.deps.publish(summary);
  }
}
