/**
 * What the person running livedeck sees in the terminal (issue 13, item 4):
 * the presenter's localhost URL beside the LAN ones, readable log lines in a
 * terminal and JSON otherwise, a line when a presenter screen comes or goes,
 * and the room's size while it changes. The token never reaches the log.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../demo-server/server.js';
import type { LogFormat } from '../demo-server/logger.js';
import { audience, closeAll, presenter, startServer, TEST_TOKEN, type TestClient } from './helpers.js';
import { runServerProcess, PROCESS_TEST_TIMEOUT } from './process.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('the terminal', { timeout: PROCESS_TEST_TIMEOUT }, () => {
  let server: LiveDeckServer | undefined;
  let child: ReturnType<typeof runServerProcess> | undefined;
  const sockets: TestClient[] = [];

  afterEach(async () => {
    closeAll(...sockets.splice(0));
    await server?.close();
    server = undefined;
    child?.child.kill('SIGKILL');
    child = undefined;
  });

  async function logged(format: LogFormat) {
    const log = capture();
    server = await startServer({ logLevel: 'info', logFormat: format, logDestination: log.stream, audienceLogMs: 50 });
    return log;
  }

  it('logs presenters coming and going and the phone count, as readable lines', async () => {
    const log = await logged('pretty');
    const desk = await presenter(server!.url);
    sockets.push(desk.socket);
    await expect.poll(log.text).toMatch(/INFO.*presenter connected \(1 presenter screen open\)/);
    const phones = await Promise.all([audience(server!.url, 'terminal-phone-1'), audience(server!.url, 'terminal-phone-2')]);
    sockets.push(...phones.map((phone) => phone.socket));
    await expect.poll(log.text).toMatch(/INFO.*2 phones connected/);
    phones[0]!.socket.close();
    await expect.poll(log.text).toMatch(/INFO.*1 phone connected/);
    desk.socket.close();
    await expect.poll(log.text).toMatch(/INFO.*presenter left \(0 presenter screens open\)/);
    // Readable lines, not JSON, and nothing secret.
    for (const line of log.text().trim().split('\n')) expect(line.trim().startsWith('{')).toBe(false);
    expect(log.text()).not.toContain(TEST_TOKEN);
  });

  it('logs one JSON object per line when asked for JSON', async () => {
    const log = await logged('json');
    const desk = await presenter(server!.url);
    sockets.push(desk.socket);
    await expect.poll(log.text).toContain('presenter connected');
    const lines = log
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; msg: string; screens?: number });
    expect(lines.find((line) => line.msg.startsWith('presenter connected'))).toMatchObject({ level: 30, screens: 1 });
    expect(log.text()).not.toContain(TEST_TOKEN);
  });

  it('an accept that fails (EMFILE) is logged once, and the server keeps serving', async () => {
    const log = await logged('json');
    // What Node emits on the listening server when accept() fails: unheard, it would end the process.
    const accept = () => Object.assign(new Error('accept EMFILE'), { code: 'EMFILE', errno: -24, syscall: 'accept' });
    for (let index = 0; index < 3; index++) server!.io.httpServer.emit('error', accept());
    await expect.poll(log.text).toMatch(/"failure":"accept","code":"EMFILE"/);
    expect(log.text().match(/"failure":"accept"/g)).toHaveLength(1);
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
  });

  it('prints the presenter’s localhost URL beside the LAN one, and JSON logs when not on a terminal', async () => {
    child = runServerProcess({ LOG_LEVEL: 'info', LOG_FORMAT: '' });
    const url = await child.ready;
    const port = new URL(url).port;
    await expect.poll(() => child!.output()).toContain(`on this computer:    http://localhost:${port}/present#token=${TEST_TOKEN}`);
    expect(child.output()).toContain(`from another device: ${url}/present#token=`);
    const desk = await presenter(url);
    sockets.push(desk.socket);
    // stdout is a pipe here, so the log is JSON lines.
    await expect.poll(() => child!.output()).toContain('"msg":"presenter connected (1 presenter screen open)"');
  });

  it('refuses an unknown LOG_FORMAT at start, in one line', async () => {
    child = runServerProcess({ LOG_FORMAT: 'xml' });
    child.ready.catch(() => undefined);
    expect(await child.exited).toBe(1);
    expect(child.output().trim()).toBe('livedeck: LOG_FORMAT must be json or pretty, got "xml"');
  });
});
