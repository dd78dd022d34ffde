/**
 * The near-limit reference: a minimal broadcast server on the raw `ws`
 * library, speaking just enough of the Engine.IO v4 / Socket.IO v5 wire
 * protocol for the same load generator to drive it (open packet, connect,
 * `snapshot`, `slide:set` → `slide:changed` to everyone, `chat:send` →
 * `chat:message` to everyone, acks). No validation, storage, rooms, rate
 * limits or heartbeats: what is left is the cost of the sockets themselves,
 * which livedeck's figures are divided by.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ReferenceServer {
  port: number;
  close(): Promise<void>;
}

const OPEN_PACKET = JSON.stringify({ upgrades: [], pingInterval: 25_000, pingTimeout: 20_000, maxPayload: 1e6 });

/** `42<ackId>["event",payload]` → its parts; undefined when it is not an event. */
function parseEvent(text: string): { ackId: string; name: string; payload: unknown } | undefined {
  if (!text.startsWith('42')) return undefined;
  const bracket = text.indexOf('[');
  if (bracket < 0) return undefined;
  const [name, payload] = JSON.parse(text.slice(bracket)) as [string, unknown];
  return { ackId: text.slice(2, bracket), name, payload };
}

export async function startReferenceServer(host = '127.0.0.1'): Promise<ReferenceServer> {
  const httpServer = http.createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ server: httpServer, path: '/socket.io/', perMessageDeflate: false });
  let seq = 0;
  let chatId = 0;
  const slide = { h: 0, v: 0, f: -1, seq: 0 };

  // Encoded once per event, written to every socket: the fastest broadcast the `ws` API offers.
  const broadcast = (name: string, payload: unknown, except?: WebSocket) => {
    const frame = Buffer.from(`42${JSON.stringify([name, payload])}`);
    for (const client of wss.clients) if (client !== except) client.send(frame, { binary: false });
  };

  wss.on('connection', (ws: WebSocket) => {
    const sid = crypto.randomBytes(15).toString('base64url');
    ws.send(`0${OPEN_PACKET.replace('{', `{"sid":"${sid}",`)}`);
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('40')) {
        ws.send(`40{"sid":"${crypto.randomBytes(15).toString('base64url')}"}`);
        // The same shape as livedeck's first snapshot of a fresh talk.
        ws.send(
          `42${JSON.stringify([
            'snapshot',
            {
              protocol: 1,
              role: 'audience',
              slide,
              chat: [],
              questions: [],
              spotlight: null,
              chatLocked: false,
              audience: wss.clients.size,
              me: { authorId: sid.slice(0, 12), name: `Guest-${sid.slice(0, 4)}` },
              sessionId: 1,
            },
          ])}`,
        );
        return;
      }
      const event = parseEvent(text);
      if (!event) return;
      let reply: object = { ok: true };
      if (event.name === 'slide:set') {
        Object.assign(slide, event.payload as object, { seq: ++seq });
        broadcast('slide:changed', slide);
        reply = { ok: true, seq };
      } else if (event.name === 'chat:send') {
        const message = { id: ++chatId, authorId: 'reference', name: 'Guest', text: (event.payload as { text: string }).text, ts: Date.now() };
        // As livedeck does: the sender gets its message in the ack, everyone else in the broadcast.
        broadcast('chat:message', message, ws);
        reply = { ok: true, message };
      }
      if (event.ackId !== '') ws.send(`43${event.ackId}${JSON.stringify([reply])}`);
    });
  });

  await new Promise<void>((resolve) => httpServer.listen(0, host, resolve));
  return {
    port: (httpServer.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        httpServer.close(() => resolve());
      }),
  };
}
