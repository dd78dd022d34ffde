/**
 * Hostile room, round two, item 8: under `ulimit -n 1024`, 990 connections
 * (each address under its 500 cap) made `/healthz` hang and new phones
 * fail. The server reads its open-file limit at start, keeps its caps below
 * it with room for files and HTTP, says how to raise it, and refuses extra
 * connections cleanly. A real child process under a low limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { FILES_RESERVED, HTTP_HEADROOM } from '../../demo-server/net/file-limit.js';
import { PROCESS_TEST_TIMEOUT, runServerProcess, type ServerProcess } from '../process.js';

const FILE_LIMIT = 300;
const ATTEMPTS = 320;

type Outcome = 'open' | 'refused';

/** A bare Engine.IO WebSocket: open once the server's open packet arrives; refused when the server says no or drops it. */
function engineSocket(url: string, held: WebSocket[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    held.push(socket);
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    socket.on('message', (data: Buffer) => {
      const packet = data.toString();
      if (packet.startsWith('0')) settle('open');
      // Answer Engine.IO pings, so the server keeps the connection.
      if (packet === '2') socket.send('3');
    });
    socket.on('unexpected-response', () => settle('refused'));
    socket.on('error', () => settle('refused'));
    socket.on('close', () => settle('refused'));
  });
}

describe('hostile room, round two: connections above the open-file limit', { timeout: PROCESS_TEST_TIMEOUT }, () => {
  const held: WebSocket[] = [];
  let server: (ServerProcess & { ready: Promise<string> }) | undefined;
  afterEach(async () => {
    for (const socket of held.splice(0)) socket.terminate();
    if (server) {
      server.child.kill('SIGKILL');
      await server.exited;
      server = undefined;
    }
  });

  it('warns with the fix, takes what fits, refuses the rest cleanly, and /healthz still answers', async () => {
    server = runServerProcess({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }, [], { fileLimit: FILE_LIMIT });
    const url = await server.ready;
    expect(server.output()).toContain(`open-file limit (ulimit -n) is ${FILE_LIMIT}`);
    expect(server.output()).toContain('ulimit -n 65536');

    const outcomes: Outcome[] = [];
    // In batches, as a room arrives; every answer is awaited, none is timed.
    for (let started = 0; started < ATTEMPTS; started += 40) {
      outcomes.push(...(await Promise.all(Array.from({ length: Math.min(40, ATTEMPTS - started) }, () => engineSocket(url, held)))));
    }
    const opened = outcomes.filter((outcome) => outcome === 'open').length;
    expect(opened).toBeLessThanOrEqual(FILE_LIMIT - FILES_RESERVED - HTTP_HEADROOM + 1);
    expect(opened).toBeGreaterThan(FILE_LIMIT / 2);
    expect(outcomes.filter((outcome) => outcome === 'refused').length).toBe(ATTEMPTS - opened);

    // With every slot taken, the health check answers (a hang would run into the guard) ...
    const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(60_000) });
    expect(health.status).toBe(200);
    // ... and a new phone is refused at once with a reason, rather than left hanging.
    const phone = io(url, { transports: ['websocket'], reconnection: false, auth: { role: 'audience', clientId: 'file-limit-late-01' } });
    try {
      const refusal = await new Promise<string>((resolve, reject) => {
        phone.once('connect', () => reject(new Error('a phone past the cap was let in')));
        phone.once('connect_error', (error) => resolve(error.message));
      });
      expect(refusal).toBeTruthy();
    } finally {
      phone.close();
    }
    // Still serving: the process did not run out of files.
    expect(server.child.exitCode).toBeNull();
  });
});
