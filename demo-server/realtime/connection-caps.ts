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
  private readonly knownClients: RateLimiterMemory;

  constructor(private readonly options: ConnectionCapOptions) {
    this.newClients = new RateLimiterMemory({ keyPrefix: 'new-clients', points: options.newClientsPerIpPerMinute, duration: 60 });
    this.knownClients = new RateLimiterMemory({ keyPrefix: 'known-clients', points: 1, duration: KNOWN_CLIENT_SECONDS });
  }

  /** Counts every engine connection until it closes. */
  attach(engine: EngineServer): void {
    // One 'close' listener shared by every connection (`this` is the closing socket; it closes
    // once), rather than a closure per phone; the address is read again from the same request.
    const release = (request: IncomingMessage) => {
      const ip = this.addressOf(request);
      this.total--;
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left > 0) this.perIp.set(ip, left);
      else this.perIp.delete(ip);
    };
    const closed = function (this: EngineSocket) {
      release(this.request);
    };
    engine.on('connection', (socket: EngineSocket) => {
      const ip = this.addressOf(socket.request);
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
    if (await this.knownClients.get(pair)) {
      await this.knownClients.set(pair, 1, KNOWN_CLIENT_SECONDS);
      return { ok: true };
    }
    try {
      await this.newClients.consume(ip);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { ok: false, retryAfterMs: Math.max(1, Math.ceil(rejection.msBeforeNext)) };
      throw rejection;
    }
    await this.knownClients.set(pair, 1, KNOWN_CLIENT_SECONDS);
    return { ok: true };
  }
}
