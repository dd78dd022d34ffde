/**
 * Hostile room, part 2: the wire itself. Malformed Engine.IO / Socket.IO
 * packets spoken by hand over `ws`, the inputs of the published Socket.IO,
 * Engine.IO, socket.io-parser and ws advisories (docs/security.md lists
 * them with the fixed versions), and invalid long-polling requests. Each
 * case closes (or refuses) only the offending connection: a bystander stays
 * connected, the stored state is unchanged, and a new client is served.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HTTP_BUFFER_SIZE, type LiveDeckServer } from '../../demo-server/server.js';
import { audience, startServer, type Connected } from '../helpers.js';
import { expectHarmless, RawClient, request } from './harness.js';

let phones = 0;
/** A fresh identity per connection, so the per-person rate limits of one case never reach the next. */
const auth = () => ({ role: 'audience', clientId: `raw-protocol-phone-${++phones}` });
const attachment = Buffer.from([1, 2, 3]);

/** Sent after a successful CONNECT; each must close that connection and nothing else. */
const CLOSING_FRAMES: Array<[string, Array<string | Buffer>]> = [
  ['an empty Socket.IO packet', ['4']],
  ['truncated JSON', ['42[']],
  ['an unknown Engine.IO packet type', ['9']],
  ['an unknown Socket.IO packet type', ['47[]']],
  ['an event that is not an array', ['42"chat:send"']],
  ['an event array with no name', ['42[]']],
  ['the reserved event name "connect"', ['42["connect"]']],
  ['the reserved event name "disconnect"', ['42["disconnect"]']],
  ['the reserved event name "newListener"', ['42["newListener","chat:send"]']],
  ['a binary placeholder past the attachments (CVE-2022-2421)', ['451-["chat:send",{"_placeholder":true,"num":99}]', attachment]],
  ['a binary placeholder with a string index (CVE-2022-2421)', ['451-["chat:send",{"text":{"_placeholder":true,"num":"0"}}]', attachment]],
  [
    'a text frame where an attachment was announced (CVE-2023-32695)',
    ['451-["chat:send",{"text":{"_placeholder":true,"num":0}}]', '42["chat:send",{"text":"x"}]'],
  ],
  ['an attachment count that is not a number', ['45x-["chat:send",{}]']],
  ['a frame over maxHttpBufferSize', [`42["chat:send",{"text":"${'z'.repeat(MAX_HTTP_BUFFER_SIZE + 1024)}"}]`]],
  ['an unexpected binary frame', [attachment]],
  ['a CONNECT_ERROR packet, which only servers send', ['44{"message":"x"}']],
  ['a second CONNECT to the same namespace', ['40{"role":"audience"}']],
  ['a DISCONNECT for a namespace it never joined', ['41/race,']],
];

/** Sent before any CONNECT. */
const CLOSING_BEFORE_CONNECT: Array<[string, string]> = [
  ['a CONNECT with invalid JSON', '40garbage'],
  ['a CONNECT whose payload is a string', '40"audience"'],
  ['a CONNECT whose payload is an array', '40[1,2]'],
  ['an event before CONNECT', '421["chat:send",{"text":"too early"}]'],
];

/** Refused with a CONNECT_ERROR packet (the connection itself may stay). */
const REFUSED_CONNECTS: Array<[string, string]> = [
  ['an unknown namespace', '40/admin,{}'],
  ['auth with a __proto__ key', '40{"__proto__":{"role":"presenter","token":"x"}}'],
  ['an unknown role', '40{"role":"admin"}'],
  ['a presenter token that is not a string', '40{"role":"presenter","token":{"length":1}}'],
  ['a clientId with a path in it', '40{"role":"audience","clientId":"../../../etc/passwd"}'],
  ['an extra auth key', '40{"role":"audience","isPresenter":true}'],
  ['a name with a bidi override', '40{"role":"audience","name":"\\u202Eevil"}'],
];

/** Ignored by Socket.IO: the connection stays and nothing happens. */
const IGNORED_FRAMES: Array<[string, string]> = [
  ['an ACK for an ack nobody asked for', '431[{"ok":true}]'],
  ['an ACK with a huge id', '439999999999999999999[{"ok":true}]'],
];

/** WebSocket close frame from the server: FIN + opcode 8. */
const CLOSE_FRAME = '\x88';

/**
 * Writes a raw HTTP request and resolves with what came back, when the
 * server closes the connection, or when it has answered a 101 and sent a
 * WebSocket close frame right after (a refusal after the upgrade).
 */
function rawHttp(server: LiveDeckServer, lines: string[], options: { resetAfterWrite?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => {
      socket.write(lines.join('\r\n'));
      if (options.resetAfterWrite) {
        socket.resetAndDestroy();
        resolve('');
      }
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.startsWith('HTTP/1.1 101') && answer.includes(`\r\n\r\n${CLOSE_FRAME}`)) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(answer) : reject(error)));
  });
}

const upgradeRequest = (path: string, headers: string[] = []) => [
  `GET ${path} HTTP/1.1`,
  'Host: 127.0.0.1',
  ...headers,
  'Connection: Upgrade',
  'Upgrade: websocket',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version: 13',
  '',
  '',
];

/** A 4xx before the upgrade, or an upgrade closed by the server before any Engine.IO packet. */
function refusedUpgrade(answer: string): boolean {
  if (/^HTTP\/1\.1 4\d\d/.test(answer)) return true;
  const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
  return answer.startsWith('HTTP/1.1 101') && body.startsWith(CLOSE_FRAME);
}

async function pollingHandshake(server: LiveDeckServer): Promise<string> {
  const answer = await request(server, '/socket.io/?EIO=4&transport=polling');
  expect(answer.status).toBe(200);
  return (JSON.parse(answer.body.slice(1)) as { sid: string }).sid;
}

describe('hostile room: the wire', () => {
  let server: LiveDeckServer;
  let bystander: Connected;

  beforeAll(async () => {
    server = await startServer();
    bystander = await audience(server.url, 'raw-protocol-bystander');
    await bystander.socket.emitWithAck('chat:send', { text: 'I was here first' });
  });

  afterAll(async () => {
    bystander.socket.close();
    await server.close();
  });

  /**
   * The bystander's connection is untouched: it still gets answers on the
   * same socket (an unknown event, because that answer is not rate-limited).
   */
  async function expectBystanderUnaffected(): Promise<void> {
    expect(bystander.socket.connected).toBe(true);
    const untyped = bystander.socket as unknown as { timeout(ms: number): { emitWithAck(event: string, payload: object): Promise<unknown> } };
    const reply = await untyped.timeout(5000).emitWithAck('are:you:there', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid' } });
  }

  describe('malformed packets on the WebSocket', () => {
    it.each(CLOSING_FRAMES)('closes only the connection that sends %s', async (_label, frames) => {
      await expectHarmless(server, async () => {
        const raw = await RawClient.open(server, { auth: auth() });
        for (const frame of frames) raw.send(frame);
        await raw.closed;
      });
      await expectBystanderUnaffected();
    });

    it.each(CLOSING_BEFORE_CONNECT)('closes only the connection that sends %s', async (_label, frame) => {
      await expectHarmless(server, async () => {
        const raw = await RawClient.open(server);
        raw.send(frame);
        await raw.closed;
      });
      await expectBystanderUnaffected();
    });

    it.each(REFUSED_CONNECTS)('refuses a CONNECT to %s with CONNECT_ERROR', async (_label, frame) => {
      await expectHarmless(server, async () => {
        const raw = await RawClient.open(server);
        raw.send(frame);
        const refusal = await raw.next((answer) => answer.startsWith('44'));
        expect(refusal).toMatch(/^44(\/admin,)?\{"message":/);
        raw.close();
      });
      await expectBystanderUnaffected();
    });

    it.each(IGNORED_FRAMES)('ignores %s and keeps serving that connection', async (_label, frame) => {
      await expectHarmless(server, async () => {
        const raw = await RawClient.open(server, { auth: auth() });
        raw.send(frame);
        expect(await raw.emitRaw('["reaction:send",{"emoji":"🎉"}]')).toEqual({ ok: true });
        raw.close();
      });
      await expectBystanderUnaffected();
    });

    it('answers a binary placeholder that resolves to a Buffer with invalid (no Buffer reaches a handler)', async () => {
      await expectHarmless(server, async () => {
        const raw = await RawClient.open(server, { auth: auth() });
        raw.send('451-1["chat:send",{"text":{"_placeholder":true,"num":0}}]');
        raw.send(attachment);
        const ack = await raw.next((frame) => frame.startsWith('431['));
        expect(JSON.parse(ack.slice(3))).toEqual([{ ok: false, error: { code: 'invalid', message: expect.stringMatching(/text/), reason: 'bad_payload' } }]);
        raw.close();
      });
      await expectBystanderUnaffected();
    });
  });

  describe('invalid long-polling requests', () => {
    it('answers a POST with an unknown sid with 400 JSON', async () => {
      await expectHarmless(server, async () => {
        const answer = await request(server, '/socket.io/?EIO=4&transport=polling&sid=not-a-session', { method: 'POST', body: '4hello' });
        expect(answer.status).toBe(400);
        expect(JSON.parse(answer.body)).toEqual({ code: 1, message: 'Session ID unknown' });
      });
      await expectBystanderUnaffected();
    });

    it('answers a POST body over maxHttpBufferSize with 413', async () => {
      await expectHarmless(server, async () => {
        const sid = await pollingHandshake(server);
        const body = `42["chat:send",{"text":"${'p'.repeat(MAX_HTTP_BUFFER_SIZE + 1)}"}]`;
        const answer = await request(server, `/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body });
        expect(answer.status).toBe(413);
      });
      await expectBystanderUnaffected();
    });

    it('closes a polling session whose POST body is garbage', async () => {
      await expectHarmless(server, async () => {
        const sid = await pollingHandshake(server);
        await request(server, `/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '\u0000\u0001garbage\u001e9' });
        const after = await request(server, `/socket.io/?EIO=4&transport=polling&sid=${sid}`);
        expect(after.status).toBe(400);
      });
      await expectBystanderUnaffected();
    });

    it.each([
      ['a handshake sent as POST', '/socket.io/?EIO=4&transport=polling', 'POST'],
      ['an unknown transport', '/socket.io/?EIO=4&transport=flash', 'GET'],
      ['Engine.IO protocol 3', '/socket.io/?EIO=3&transport=polling', 'GET'],
      ['a websocket handshake without the upgrade', '/socket.io/?EIO=4&transport=websocket', 'GET'],
    ])('refuses %s with 400 JSON', async (_label, path, method) => {
      await expectHarmless(server, async () => {
        const answer = await request(server, path, { method, body: method === 'POST' ? '40{}' : undefined });
        expect(answer.status).toBe(400);
        expect(JSON.parse(answer.body)).toMatchObject({ code: expect.any(Number), message: expect.any(String) });
      });
      await expectBystanderUnaffected();
    });

    it('survives a POST whose connection resets mid-body (CVE-2022-41940)', async () => {
      await expectHarmless(server, async () => {
        const sid = await pollingHandshake(server);
        await rawHttp(
          server,
          [
            `POST /socket.io/?EIO=4&transport=polling&sid=${sid} HTTP/1.1`,
            'Host: 127.0.0.1',
            'Content-Type: text/plain',
            'Content-Length: 10000',
            '',
            '42["chat',
          ],
          { resetAfterWrite: true },
        );
      });
      await expectBystanderUnaffected();
    });
  });

  describe('invalid WebSocket upgrades', () => {
    it.each([
      ['a transport that is not websocket (CVE-2023-31125)', '/socket.io/?EIO=4&transport=polling'],
      ['an unknown sid', '/socket.io/?EIO=4&transport=websocket&sid=not-a-session'],
      ['an unknown transport name', '/socket.io/?EIO=4&transport=__proto__'],
    ])('refuses an upgrade with %s', async (_label, path) => {
      await expectHarmless(server, async () => {
        const answer = await rawHttp(server, upgradeRequest(path));
        expect(refusedUpgrade(answer)).toBe(true);
      });
      await expectBystanderUnaffected();
    });

    it('refuses upgrading a live polling session to a transport it did not ask for', async () => {
      await expectHarmless(server, async () => {
        const sid = await pollingHandshake(server);
        const answer = await rawHttp(server, upgradeRequest(`/socket.io/?EIO=4&transport=polling&sid=${sid}`));
        expect(refusedUpgrade(answer)).toBe(true);
      });
      await expectBystanderUnaffected();
    });

    it('refuses an upgrade with too many headers (CVE-2024-37890)', async () => {
      await expectHarmless(server, async () => {
        const chars = "!#$%&'*+-.0123456789abcdefghijklmnopqrstuvwxyz^_`|~";
        const headers: string[] = [];
        for (const first of chars) for (const second of chars) if (headers.length < 2000) headers.push(`${first}${second}: x`);
        const answer = await rawHttp(server, upgradeRequest('/socket.io/?EIO=4&transport=websocket', headers));
        expect(answer).toMatch(/^HTTP\/1\.1 4\d\d/);
      });
      await expectBystanderUnaffected();
    });

    it('refuses an upgrade with a malformed Sec-WebSocket-Key', async () => {
      await expectHarmless(server, async () => {
        const lines = upgradeRequest('/socket.io/?EIO=4&transport=websocket').map((line) =>
          line.startsWith('Sec-WebSocket-Key') ? 'Sec-WebSocket-Key: not base64!' : line,
        );
        expect(await rawHttp(server, lines)).toMatch(/^HTTP\/1\.1 400/);
      });
      await expectBystanderUnaffected();
    });

    it('survives an upgrade whose connection resets before the answer (CVE-2022-21676)', async () => {
      await expectHarmless(server, async () => {
        await rawHttp(server, upgradeRequest('/socket.io/?EIO=4&transport=websocket'), { resetAfterWrite: true });
      });
      await expectBystanderUnaffected();
    });
  });
});
