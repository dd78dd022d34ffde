/**
 * What a joined phone's connection keeps on the server (docs/performance.md,
 * "The join path"): the handshake request, its parsed headers, query, URL
 * and date are let go, and so are the listeners Engine.IO's upgrade leaves
 * behind; the connection itself still handles errors and events.
 */
import type { Socket as NetSocket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { LiveSocket } from '../demo-server/realtime/live-server.js';
import { audience, serverFixture, until } from './helpers.js';

interface ConnectionInternals {
  request: unknown;
  transport: { socket: NetSocket & { _socket: NetSocket } };
}

describe('a joined phone’s connection', () => {
  const { sockets, start } = serverFixture();

  it('holds no handshake leftovers, and an error on its WebSocket still closes it cleanly', async () => {
    const server = await start();
    const phone = await audience(server.url, 'memory-phone-01');
    sockets.push(phone.socket);
    const [socket] = [...server.io.of('/').sockets.values()] as LiveSocket[];
    const conn = socket!.conn as unknown as ConnectionInternals;
    expect(conn.request).toBeNull();
    expect(socket!.handshake).toMatchObject({ headers: {}, query: {}, url: '', time: '', auth: { clientId: 'memory-phone-01' } });
    const ws = conn.transport.socket;
    // Engine.IO's transport listens for errors; the listener its upgrade added before that is gone.
    expect(ws.listeners('error').map((listener) => listener.name)).toEqual(['bound onError']);
    expect(ws._socket.listeners('close').map(String)).not.toContain('() => this.emit("close")');
    expect(await phone.socket.emitWithAck('chat:send', { text: 'still here' })).toMatchObject({ ok: true });

    const gone = new Promise<string>((resolve) => phone.socket.once('disconnect', resolve));
    ws.emit('error', new Error('a broken pipe'));
    expect(await gone).toBe('transport close');
    await until(() => server.io.of('/').sockets.size === 0, 'the server forgets the socket');
    const next = await audience(server.url, 'memory-phone-02');
    sockets.push(next.socket);
    expect(next.snapshot.chat.map((message) => message.text)).toEqual(['still here']);
  });
});
