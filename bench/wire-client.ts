/**
 * A phone as the server sees it, without socket.io-client: the Engine.IO v4 /
 * Socket.IO v5 wire protocol spoken directly over one `ws` WebSocket.
 *
 * The load generator holds thousands of these in one process, so a received
 * frame is only time-stamped and its event name read (`42["name",…`); the
 * payload is parsed by the caller when it needs it. socket.io-client does the
 * same job with a full decoder, timers and an event emitter per socket; the
 * benchmark measures both (generator CPU per join and per delivery) in
 * bench/client-kinds.ts.
 */
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { now } from './stats.js';

/**
 * Receives every server event: its name, the raw frame (wire client; the
 * payload is parsed only if needed) or the parsed payload (socket.io-client),
 * and the receive time.
 */
export type EventListener = (name: string, frame: Buffer | undefined, at: number, payload?: unknown) => void;
export type AckListener = (reply: unknown, at: number) => void;

export interface BenchClient {
  emit(event: string, payload: unknown, ack?: AckListener): void;
  close(): void;
}

export interface Joined {
  client: BenchClient;
  snapshotAt: number;
}

export type ClientKind = 'wire' | 'sio';

const QUOTE = 0x22;
const OPEN_BRACKET = 0x5b;

/** `42["slide:changed",…]` → "slide:changed"; undefined for anything else. */
function eventName(frame: Buffer, from: number): string | undefined {
  if (frame[from] !== OPEN_BRACKET || frame[from + 1] !== QUOTE) return undefined;
  const end = frame.indexOf(QUOTE, from + 2);
  return end < 0 ? undefined : frame.toString('latin1', from + 2, end);
}

class WireClient implements BenchClient {
  private nextAckId = 0;
  private readonly acks = new Map<number, AckListener>();

  constructor(private readonly ws: WebSocket) {}

  emit(event: string, payload: unknown, ack?: AckListener): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    let prefix = '42';
    if (ack) {
      const id = this.nextAckId++;
      this.acks.set(id, ack);
      prefix += id;
    }
    this.ws.send(prefix + JSON.stringify([event, payload]));
  }

  /** `43<id>[reply]` */
  onAck(frame: Buffer, at: number): void {
    const start = frame.indexOf(OPEN_BRACKET, 2);
    if (start < 0) return;
    const id = Number(frame.toString('latin1', 2, start));
    const listener = this.acks.get(id);
    if (!listener) return;
    this.acks.delete(id);
    listener((JSON.parse(frame.toString('utf8', start)) as unknown[])[0], at);
  }

  close(): void {
    this.ws.terminate();
  }
}

/**
 * Opens one connection and resolves once its `snapshot` has arrived (what a
 * phone needs to show the current slide), or rejects on a connect error,
 * a close or the timeout.
 */
export function connectWire(baseUrl: string, auth: object, onEvent: EventListener, timeoutMs = 30_000): Promise<Joined> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
  const client = new WireClient(ws);
  return new Promise<Joined>((resolve, reject) => {
    let joined = false;
    const fail = (error: Error) => {
      if (joined) return;
      joined = true;
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`no snapshot within ${timeoutMs} ms`)), timeoutMs);
    ws.on('error', fail);
    ws.on('close', () => fail(new Error('closed before the snapshot')));
    ws.on('message', (frame: Buffer) => {
      const at = now();
      const engineType = frame[0];
      if (engineType === 0x34 /* 4 message */) {
        const socketType = frame[1];
        if (socketType === 0x32 /* 2 event */) {
          const name = eventName(frame, 2);
          if (name === undefined) return;
          if (name === 'snapshot' && !joined) {
            joined = true;
            clearTimeout(timer);
            resolve({ client, snapshotAt: at });
          }
          onEvent(name, frame, at);
        } else if (socketType === 0x33 /* 3 ack */) client.onAck(frame, at);
        else if (socketType === 0x34 /* 4 connect error */) fail(new Error(`connect refused: ${frame.toString('utf8', 2)}`));
      } else if (engineType === 0x32 /* 2 ping */) ws.send('3');
      else if (engineType === 0x30 /* 0 open */) ws.send(`40${JSON.stringify(auth)}`);
    });
  });
}

/** The same contract through socket.io-client, to measure what the full client costs the generator. */
export function connectSocketIo(baseUrl: string, auth: object, onEvent: EventListener, timeoutMs = 30_000): Promise<Joined> {
  const socket = io(baseUrl, {
    auth: auth as Record<string, unknown>,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: timeoutMs,
  });
  const client: BenchClient = {
    emit: (event, payload, ack) => {
      if (ack) socket.emit(event, payload, (reply: unknown) => ack(reply, now()));
      else socket.emit(event, payload);
    },
    close: () => socket.close(),
  };
  return new Promise<Joined>((resolve, reject) => {
    let joined = false;
    socket.onAny((name: string, payload: unknown) => {
      const at = now();
      if (name === 'snapshot' && !joined) {
        joined = true;
        resolve({ client, snapshotAt: at });
      }
      onEvent(name, undefined, at, payload);
    });
    socket.once('connect_error', (error) => {
      if (joined) return;
      joined = true;
      socket.close();
      reject(error);
    });
  });
}

export const connectors: Record<ClientKind, typeof connectWire> = { wire: connectWire, sio: connectSocketIo };
