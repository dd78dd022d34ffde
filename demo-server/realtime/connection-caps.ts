/**
 * How many connections the server takes: per IP address and in total,
 * counted at the Engine.IO layer (one engine connection carries every
 * namespace of one client), and how fast one address may bring new
 * identities (clientIds), so rotating clientIds cannot multiply the
 * per-person rate limits or votes without bound.
 *
 * The connection caps answer in `allowRequest`, before any Socket.IO work:
 * a refused handshake is an HTTP error the client retries with backoff.
 */
import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../net/client-address.js';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Server as EngineServer, Socket as EngineSocket } from 'engine.io';

export interface ConnectionCapOptions {
  maxConnectionsPerIp: number;
  maxConnections: number;
  newClientsPerIpPerMinute: number;
  /** Read the client address from X-Forwarded-For (behind a reverse proxy). */
  trustProxy: boolean;
}

/**
 * A clientId seen from an address stays "known" (free to reconnect) this
 * long after its last connection: a room-wide Wi-Fi blip then costs nothing.
 */
const KNOWN_CLIENT_SECONDS = 60 * 60;

export type Admission = { ok: true } | { ok: false; retryAfterMs: number };

export class ConnectionCaps {
  private readonly perIp = new Map<string, number>();
  private total = 0;
  private readonly newClients: RateLimiterMemory;
  /**
   * `ip|clientId` → when it stops being known (ms), oldest first. A plain map
   * rather than a rate limiter: a limiter's entry carries its own expiry
   * timer, one per phone for the whole talk (docs/performance.md).
   */
  private readonly knownClients = new Map<string, number>();

  constructor(private readonly options: ConnectionCapOptions) {
    this.newClients = new RateLimiterMemory({ keyPrefix: 'new-clients', points: options.newClientsPerIpPerMinute, duration: 60 });
  }

  /** Counts every engine connection until it closes. */
  attach(engine: EngineServer): void {
    // The address is kept apart from the socket's request, which is let go once the socket
    // has joined (talk-sockets.ts); one 'close' listener is shared by every connection
    // (`this` is the closing socket; it closes once), rather than a closure per phone.
    const addresses = new WeakMap<EngineSocket, string>();
    const release = (ip: string) => {
      this.total--;
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left > 0) this.perIp.set(ip, left);
      else this.perIp.delete(ip);
    };
    const closed = function (this: EngineSocket) {
      const ip = addresses.get(this);
      if (ip === undefined) return;
      addresses.delete(this);
      release(ip);
    };
    engine.on('connection', (socket: EngineSocket) => {
      const ip = this.addressOf(socket.request);
      addresses.set(socket, ip);
      this.total++;
      this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
      socket.on('close', closed);
    });
  }

  /**
   * Whether a new engine connection from this request may open. Handshakes
   * in flight are not counted yet, so a burst can overshoot by the handshakes
   * that arrive in the same moment; the next one is refused.
   */
  refusal(request: IncomingMessage): string | undefined {
    if (this.total >= this.options.maxConnections) return 'the server is full';
    const ip = this.addressOf(request);
    if ((this.perIp.get(ip) ?? 0) >= this.options.maxConnectionsPerIp) return 'too many connections from your address';
    return undefined;
  }

  addressOf(request: IncomingMessage): string {
    return clientAddress(request, this.options.trustProxy);
  }

  connectionsFrom(ip: string): number {
    return this.perIp.get(ip) ?? 0;
  }

  get connections(): number {
    return this.total;
  }

  /**
   * A clientId this address has not used before spends one of its new-client
   * points; a known one (a reload, a reconnect) spends nothing.
   */
  async admitClient(ip: string, clientId: string): Promise<Admission> {
    const pair = `${ip}|${clientId}`;
    const now = Date.now();
    this.forgetExpired(now);
    if (!this.knownClients.has(pair)) {
      try {
        await this.newClients.consume(ip);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { ok: false, retryAfterMs: Math.max(1, Math.ceil(rejection.msBeforeNext)) };
        throw rejection;
      }
    }
    // Re-inserted, so that the map stays in expiry order.
    this.knownClients.delete(pair);
    this.knownClients.set(pair, now + KNOWN_CLIENT_SECONDS * 1000);
    return { ok: true };
  }

  private forgetExpired(now: number): void {
    for (const [pair, until] of this.knownClients) {
      if (until > now) return;
      this.knownClients.delete(pair);
    }
  }
}
