/**
 * Tools for the hostile-room catalogue: a raw Engine.IO v4 / Socket.IO v5
 * client over `ws` (so a test can send frames no real client would), the
 * stored state of a server (to prove a refusal changed nothing), and the
 * "everyone else notices nothing" check.
 */
import http from 'node:http';
import { expect } from 'vitest';
import WebSocket from 'ws';
import type { LiveDeckServer } from '../../demo-server/server.js';
import { REACTIONS } from '../../src/shared/limits.js';
import { audience } from '../helpers.js';

export interface RawOptions {
  /** Sent as the Socket.IO CONNECT payload; omit to stay at the Engine.IO level. */
  auth?: Record<string, unknown>;
  origin?: string;
  headers?: Record<string, string>;
}

export interface Closed {
  code: number;
  reason: string;
}

/**
 * One Engine.IO connection spoken by hand: answers pings, queues every text
 * frame it receives, and reports how the connection ended.
 */
export class RawClient {
  private readonly frames: string[] = [];
  private readonly waiters: Array<{ match: (frame: string) => boolean; resolve: (frame: string) => void; reject: (error: Error) => void }> = [];
  private ended: Closed | undefined;
  private ackIds = 0;
  readonly closed: Promise<Closed>;
  /** Engine.IO session id (from the open packet). */
  sid = '';
  /** Socket.IO socket id (from the CONNECT answer), when connected. */
  socketId = '';

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.ended = { code, reason: reason.toString() };
        for (const waiter of this.waiters.splice(0)) waiter.reject(new Error(`connection closed (${code}) while waiting for a frame`));
        resolve(this.ended);
      });
    });
    ws.on('error', () => undefined);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = data.toString();
      // Engine.IO heartbeat: a ping from the server wants a pong, or the server closes the connection.
      if (frame === '2') return ws.send('3');
      const waiter = this.waiters.find((candidate) => candidate.match(frame));
      if (waiter) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      } else {
        // Broadcasts nobody asked for (audience counts, reactions) would pile up: keep only the recent ones.
        this.frames.push(frame);
        if (this.frames.length > 200) this.frames.shift();
      }
    });
  }

  /** Opens the WebSocket transport, reads the open packet and, with `auth`, joins the main namespace. */
  static async open(server: LiveDeckServer, options: RawOptions = {}): Promise<RawClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`, {
      headers: { ...(options.origin ? { Origin: options.origin } : {}), ...options.headers },
    });
    const client = new RawClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_request, response) => reject(new Error(`handshake refused with HTTP ${response.statusCode}`)));
      ws.once('error', reject);
    });
    const open = await client.next((frame) => frame.startsWith('0'));
    client.sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    if (options.auth) {
      client.send(`40${JSON.stringify(options.auth)}`);
      const answer = await client.next((frame) => frame.startsWith('40') || frame.startsWith('44'));
      if (answer.startsWith('44')) throw new Error(`connect refused: ${answer.slice(2)}`);
      client.socketId = (JSON.parse(answer.slice(2)) as { sid: string }).sid;
    }
    return client;
  }

  send(frame: string | Buffer): void {
    this.ws.send(frame);
  }

  /** The next received frame that matches (already received ones first). */
  next(match: (frame: string) => boolean = () => true, timeoutMs = 5000): Promise<string> {
    const index = this.frames.findIndex(match);
    if (index >= 0) return Promise.resolve(this.frames.splice(index, 1)[0]!);
    if (this.ended) return Promise.reject(new Error(`connection already closed (${this.ended.code})`));
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (frame: string) => {
          clearTimeout(timer);
          resolve(frame);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error('timed out waiting for a frame'));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /**
   * Sends `42<id>[…]` (the event array as raw JSON text, so keys such as
   * `__proto__` arrive as real own keys) and resolves with the ack payload.
   */
  async emitRaw(eventArrayJson: string): Promise<unknown> {
    const ackId = ++this.ackIds;
    this.send(`42${ackId}${eventArrayJson}`);
    const ack = await this.next((frame) => frame.startsWith(`43${ackId}[`));
    return (JSON.parse(ack.slice(2 + String(ackId).length)) as unknown[])[0];
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Everything a refusal must leave untouched: sessions, control state, chat, questions, polls. */
export async function storedState(server: LiveDeckServer): Promise<unknown> {
  const { storage, talk, sessionId } = server.room;
  const [sessions, session, chat, questions, polls] = await Promise.all([
    storage.listSessions(talk.id),
    storage.getSession(sessionId),
    storage.allChat(sessionId),
    storage.listQuestions(sessionId),
    storage.pollCounts(sessionId),
  ]);
  // The peak audience moves whenever someone connects (the check below does), and who drives follows presenter screens
  // coming and going (the right token's screen takes the wheel): neither is state a refusal could change.
  const control = session && { ...session.control, driver: null, asking: null };
  return { sessions: sessions.map(({ peakAudience: _peak, ...rest }) => rest), session: session && { ...session, control }, chat, questions, polls };
}

let served = 0;

/**
 * A phone connects, gets its snapshot and an ok ack: the server still
 * serves. A fresh identity unless `clientId` is given.
 */
export async function expectStillServes(server: LiveDeckServer, clientId?: string): Promise<void> {
  const phone = await audience(server.url, clientId ?? `still-serving-${process.pid}-${++served}`);
  try {
    expect(phone.snapshot.sessionId).toBe(server.room.sessionId);
    expect(await phone.socket.timeout(5000).emitWithAck('reaction:send', { emoji: REACTIONS[0] })).toEqual({ ok: true });
  } finally {
    phone.socket.close();
  }
}

/** Runs `attack`, then checks the stored state is unchanged and another client is served. */
export async function expectHarmless(server: LiveDeckServer, attack: () => Promise<void>, servedClientId?: string): Promise<void> {
  const before = await storedState(server);
  await attack();
  expect(await storedState(server)).toEqual(before);
  await expectStillServes(server, servedClientId);
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP request with full control over method, headers and body. */
export function request(
  server: LiveDeckServer,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        // Node sends a DELETE body without framing unless told its length.
        headers: { ...(options.body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(options.body)) }), ...options.headers },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** A 4xx answer in the house format: JSON `{ error: { code, message } }`, no stack trace. */
export function expectJsonError(answer: HttpAnswer, status: number, code?: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(answer.body) as { error?: { code: string; message: string } };
  if (code) expect(body.error?.code).toBe(code);
  expect(answer.body).not.toMatch(/\bat .*\(.*:\d+:\d+\)|node_modules|\.ts:\d+/);
}
