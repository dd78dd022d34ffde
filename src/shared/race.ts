/**
 * The race demo's shared numbers, and the arithmetic of bytes on the wire:
 * the server uses it to report what each HTTP exchange weighed, the
 * projector's push pane to weigh the WebSocket frames it sends and receives.
 * No zod here: phones and the projector import it.
 */

/** Socket.IO namespace of the push pane: its own connection, so its bytes are its own. */
export const RACE_NAMESPACE = '/race';
/** Pings the server keeps (a ring buffer): the reload pane downloads all of them every time. */
export const RACE_HISTORY = 100;
export const POLL_INTERVAL_MS = 100;
export const RELOAD_INTERVAL_MS = 3000;

/**
 * Response header on the race's HTTP routes: `<request bytes>/<response bytes>`
 * of this very exchange as HTTP/1.1 carried it (request line, headers, body;
 * status line, headers including this one, body), counted by the server.
 */
export const WIRE_BYTES_HEADER = 'X-Wire-Bytes';

export interface WireBytes {
  request: number;
  response: number;
}

export function formatWireBytes(bytes: WireBytes): string {
  return `${bytes.request}/${bytes.response}`;
}

export function parseWireBytes(value: string | null): WireBytes | null {
  const match = /^(\d+)\/(\d+)$/.exec(value ?? '');
  return match ? { request: Number(match[1]), response: Number(match[2]) } : null;
}

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** RFC 6455 §5.2: 2 header bytes, 2 or 8 more for longer payloads, 4 of mask from client to server. */
export function webSocketFrameBytes(payloadBytes: number, fromClient: boolean): number {
  const length = payloadBytes < 126 ? 0 : payloadBytes < 65536 ? 2 : 8;
  return 2 + length + (fromClient ? 4 : 0) + payloadBytes;
}

/** Engine.IO packet types, as the one-character prefix of a text frame. */
const ENGINE_PACKET_TYPES: Record<string, string> = { open: '0', close: '1', ping: '2', pong: '3', message: '4', upgrade: '5', noop: '6' };

/**
 * One Engine.IO packet as a WebSocket frame: a text frame holds the type
 * digit then the data; a binary frame holds the bytes alone.
 */
export function enginePacketFrameBytes(packet: { type: string; data?: unknown }, fromClient: boolean): number {
  const { data } = packet;
  if (data instanceof ArrayBuffer) return webSocketFrameBytes(data.byteLength, fromClient);
  if (ArrayBuffer.isView(data)) return webSocketFrameBytes(data.byteLength, fromClient);
  const prefix = ENGINE_PACKET_TYPES[packet.type] === undefined ? 0 : 1;
  return webSocketFrameBytes(prefix + (typeof data === 'string' ? utf8Length(data) : 0), fromClient);
}
