/**
 * The race's three clients, each using one mechanism and nothing else:
 * reload (the whole list every few seconds), polling (`GET /api/poll?since=`
 * every 100 ms) and push (its own Socket.IO connection). Each reports what it
 * spent and what it received to its pane.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, RaceMessage, RaceMessageList, RacePollAnswer, ServerToClientEvents } from '../shared/protocol';
import { enginePacketFrameBytes, parseWireBytes, POLL_INTERVAL_MS, RACE_NAMESPACE, RELOAD_INTERVAL_MS, WIRE_BYTES_HEADER } from '../shared/race';

export interface PaneLink {
  /** Spent: one more request (or handshake), bytes sent and received. */
  spent(requests: number, up: number, down: number): void;
  /** Messages this client now holds; the pane shows the ones it has not shown yet. */
  received(messages: RaceMessage[]): void;
}

export interface RaceTransport {
  /** Starts after `baseline`: older messages belong to an earlier race. */
  start(baseline: number): void;
  stop(): void;
  /** Resolves once the client is live (first answer, or the push connection open). */
  readonly ready: Promise<void>;
}

/** A loop of GETs: one in flight at most, each timed from the start of the previous one. */
abstract class HttpTransport implements RaceTransport {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private abort: AbortController | undefined;
  /** Bumped by start and stop, so that a late answer of an earlier run changes nothing. */
  private run = 0;
  private markReady: () => void = () => undefined;
  ready: Promise<void> = Promise.resolve();
  protected baseline = 0;

  constructor(
    protected readonly link: PaneLink,
    private readonly intervalMs: number,
  ) {}

  start(baseline: number): void {
    this.stop();
    this.baseline = baseline;
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    void this.tick(this.run);
  }

  stop(): void {
    this.run++;
    clearTimeout(this.timer);
    this.abort?.abort();
  }

  protected abstract url(): string;
  /** The messages an OK answer brings. */
  protected abstract answered(response: Response): Promise<RaceMessage[]>;

  private async tick(run: number): Promise<void> {
    const started = performance.now();
    const abort = (this.abort = new AbortController());
    try {
      const response = await fetch(this.url(), { cache: 'no-store', signal: abort.signal });
      if (run !== this.run) return;
      const bytes = parseWireBytes(response.headers.get(WIRE_BYTES_HEADER));
      this.link.spent(1, bytes?.request ?? 0, bytes?.response ?? 0);
      const messages = response.ok ? await this.answered(response) : [];
      if (run !== this.run) return;
      if (messages.length) this.link.received(messages);
      this.markReady();
    } catch {
      if (run !== this.run) return;
      // The server is away: the request was still made; try again at the usual pace.
      this.link.spent(1, 0, 0);
    }
    if (run !== this.run) return;
    this.timer = setTimeout(() => void this.tick(run), Math.max(0, this.intervalMs - (performance.now() - started)));
  }
}

/** "F5": the whole list, every few seconds, whether or not anything changed. */
export class ReloadTransport extends HttpTransport {
  constructor(link: PaneLink) {
    super(link, RELOAD_INTERVAL_MS);
  }

  protected url(): string {
    return '/api/race/messages';
  }

  protected async answered(response: Response): Promise<RaceMessage[]> {
    const { messages } = (await response.json()) as RaceMessageList;
    return messages.filter((message) => message.id > this.baseline);
  }
}

/** AJAX polling: "anything after the last one I have?", ten times a second. */
export class PollingTransport extends HttpTransport {
  private since = 0;

  constructor(link: PaneLink) {
    super(link, POLL_INTERVAL_MS);
  }

  override start(baseline: number): void {
    this.since = baseline;
    super.start(baseline);
  }

  protected url(): string {
    return `/api/poll?since=${this.since}`;
  }

  protected async answered(response: Response): Promise<RaceMessage[]> {
    if (response.status === 204) return [];
    const { messages } = (await response.json()) as RacePollAnswer;
    this.since = Math.max(this.since, ...messages.map((message) => message.id));
    return messages;
  }
}

type RaceSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * WebSocket push on its own connection (not the page's), so that every frame
 * it counts is its own: Engine.IO packets plus WebSocket frame headers, and
 * the upgrade handshake as the server measured it (`race:hello`).
 */
export class PushTransport implements RaceTransport {
  private socket: RaceSocket | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private baseline = 0;
  private markReady: () => void = () => undefined;
  ready: Promise<void> = Promise.resolve();

  constructor(private readonly link: PaneLink) {}

  start(baseline: number): void {
    this.stop();
    this.baseline = baseline;
    this.running = true;
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.connect();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.retry);
    this.socket?.disconnect();
    this.socket = undefined;
  }

  private connect(): void {
    // Reconnection is ours to do, so that each new connection (and its handshake) is counted.
    const socket: RaceSocket = io(RACE_NAMESPACE, { forceNew: true, transports: ['websocket'], reconnection: false });
    this.socket = socket;
    this.link.spent(1, 0, 0);
    // The engine exists as soon as io() returns, before any byte has moved.
    const engine = socket.io.engine;
    engine.on('packet', (packet) => this.link.spent(0, 0, enginePacketFrameBytes(packet, false)));
    engine.on('packetCreate', (packet) => this.link.spent(0, enginePacketFrameBytes(packet, true), 0));
    socket.on('race:hello', ({ handshake }) => {
      this.link.spent(0, handshake.request, handshake.response);
      this.markReady();
    });
    socket.on('race:message', (message) => {
      if (message.id > this.baseline) this.link.received([message]);
    });
    const again = () => {
      if (!this.running || this.socket !== socket) return;
      socket.disconnect();
      this.retry = setTimeout(() => this.connect(), 1000);
    };
    socket.on('disconnect', again);
    socket.on('connect_error', again);
  }
}
